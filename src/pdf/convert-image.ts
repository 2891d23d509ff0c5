import { PDFDocument, PageSizes } from 'pdf-lib';
import { DOCUMENT_SAVE } from './save-options.js';
import { rasterPages, type RasterLimits } from './raster.js';

const PAD = 24;

/** Each image page on its own A4 page, turned to landscape when the image is wider than high. */
export async function imageToPdf(
  bytes: Uint8Array,
  type: string,
  limits: RasterLimits,
): Promise<{ pdf: Uint8Array; pages: number }> {
  const rasters = await rasterPages(bytes, type, limits);
  const doc = await PDFDocument.create();
  doc.setProducer('postrobot');
  for (const raster of rasters) {
    const [short, long] = PageSizes.A4;
    const size: [number, number] = raster.width > raster.height ? [long, short] : [short, long];
    const page = doc.addPage(size);
    const image = await doc.embedJpg(raster.jpeg);
    const scale = Math.min((size[0] - 2 * PAD) / raster.width, (size[1] - 2 * PAD) / raster.height);
    const width = raster.width * scale;
    const height = raster.height * scale;
    page.drawImage(image, { x: (size[0] - width) / 2, y: (size[1] - height) / 2, width, height });
  }
  return { pdf: await doc.save(DOCUMENT_SAVE), pages: rasters.length };
}
