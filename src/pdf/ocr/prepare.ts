import sharp, { type Sharp } from 'sharp';
import { imageSize } from '../image-info.js';
import { skewAngle } from './deskew.js';
import { OcrError } from './errors.js';
import type { OcrPage } from './pool.js';

export interface PrepareOptions {
  /** Most pixels handed to tesseract; a larger page is scaled down to this. */
  maxPixels: number;
  /**
   * A 3 × 3 median filter before OCR: removes the speckle of faxes and noisy scans, which
   * tesseract.js otherwise reads as '|', '5' and '0' (fax pages: 74 % → 100 % characters right).
   */
  denoise: boolean;
  /** Straighten pages tilted by half a degree or more (measured in bench/ocr.bench.ts). */
  deskew: boolean;
  /** Resolution to assume when the image does not say (photos, faxes). */
  defaultDpi?: number;
}

/** Images declaring more than this many times the limit are refused unread (decompression bombs). */
const REFUSE_FACTOR = 8;

interface Decoded {
  source: Sharp;
  /** Size after EXIF orientation. */
  width: number;
  height: number;
  density: number | undefined;
}

async function decode(bytes: Uint8Array, page: number, limitInputPixels: number): Promise<Decoded> {
  const source = sharp(bytes, { limitInputPixels, page, pages: 1, failOn: 'truncated' });
  const meta = await source.metadata();
  const width = meta.autoOrient?.width ?? meta.width ?? 0;
  const height = meta.autoOrient?.height ?? meta.height ?? 0;
  return { source, width, height, density: meta.density };
}

/** pdftoppm's greyscale output; sharp's libvips is built without a PNM reader. */
function decodePgm(bytes: Uint8Array): Decoded {
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(
    Buffer.from(bytes.subarray(0, 64)).toString('latin1'),
  );
  if (!header) throw new OcrError('OcrImageUnreadable', 'the page image is not an 8-bit PGM');
  const width = Number(header[1]);
  const height = Number(header[2]);
  const data = bytes.subarray(header[0].length, header[0].length + width * height);
  if (data.length !== width * height)
    throw new OcrError('OcrImageUnreadable', 'the page image is cut short');
  return {
    source: sharp(data, { raw: { width, height, channels: 1 } }),
    width,
    height,
    density: undefined,
  };
}

/** A page image as tesseract gets it: 8-bit greyscale PGM, no encoder or decoder cost. */
function pgm(data: Uint8Array, width: number, height: number): Uint8Array {
  return Buffer.concat([Buffer.from(`P5\n${width} ${height}\n255\n`, 'ascii'), data]);
}

/**
 * Decodes one page of an image (EXIF orientation applied; `type` 'pgm' for pdftoppm's
 * output), greyscale, scaled under the pixel limit, despeckled and straightened as asked.
 * Throws OcrError when it cannot be read.
 */
/** Below this many pixels on a side an image is not read. */
const MIN_SIDE = 16;

export async function prepareImage(
  bytes: Uint8Array,
  type: string,
  page: number,
  options: PrepareOptions,
): Promise<OcrPage> {
  const refuseAbove = options.maxPixels * REFUSE_FACTOR;
  const declared = imageSize(bytes, type);
  if (declared && declared.width * declared.height > refuseAbove) {
    throw new OcrError(
      'OcrImageUnreadable',
      `the image is ${declared.width} × ${declared.height} pixels, too large to read`,
    );
  }
  try {
    const { source, width, height, density } =
      type === 'pgm' ? decodePgm(bytes) : await decode(bytes, page, refuseAbove);
    // Logos, spacers and tracking pixels hold no text; tesseract would only complain on stderr.
    if (width < MIN_SIDE || height < MIN_SIDE) {
      throw new OcrError(
        'OcrImageUnreadable',
        `the image is ${width} × ${height} pixels, too small to hold text`,
      );
    }
    const scale = Math.min(1, Math.sqrt(options.maxPixels / Math.max(1, width * height)));
    const dpi = density && density >= 70 && density <= 1200 ? density : (options.defaultDpi ?? 300);
    let pipeline = source.rotate().greyscale().flatten({ background: '#ffffff' });
    if (scale < 1)
      pipeline = pipeline.resize(Math.floor(width * scale), Math.floor(height * scale), {
        fit: 'fill',
      });
    if (options.denoise) pipeline = pipeline.median(3);
    let { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    if (options.deskew) {
      const angle = await measureSkew(data, info.width, info.height);
      if (Math.abs(angle) >= 0.5) {
        ({ data, info } = await sharp(data, {
          raw: { width: info.width, height: info.height, channels: 1 },
        })
          .rotate(-angle, { background: '#ffffff' })
          .greyscale()
          .raw()
          .toBuffer({ resolveWithObject: true }));
      }
    }
    return { image: pgm(data, info.width, info.height), dpi: dpi * scale };
  } catch (error) {
    if (error instanceof OcrError) throw error;
    throw new OcrError(
      'OcrImageUnreadable',
      `the image could not be decoded (${error instanceof Error ? error.message : String(error)})`,
      error,
    );
  }
}

/** The page's tilt in degrees, measured on a copy about 1,000 pixels wide. */
async function measureSkew(grey: Uint8Array, width: number, height: number): Promise<number> {
  const factor = Math.min(1, 1000 / width);
  const small = await sharp(grey, { raw: { width, height, channels: 1 } })
    .resize(Math.max(1, Math.round(width * factor)), Math.max(1, Math.round(height * factor)), {
      fit: 'fill',
    })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return skewAngle(small.data, small.info.width, small.info.height);
}
