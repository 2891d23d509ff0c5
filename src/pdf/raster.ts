import { PdfError } from './errors.js';
import { imageSize } from './image-info.js';

export interface RasterLimits {
  /** Most pixels (width × height) an image may declare; larger ones are refused unread. */
  maxPixels: number;
  /** Most pages taken from a multi-page TIFF. */
  maxPages: number;
  /** Longest side of the JPEG put in the PDF (300 dpi on A4). */
  maxSide: number;
}

export const DEFAULT_RASTER_LIMITS: RasterLimits = {
  maxPixels: 80_000_000,
  maxPages: 300,
  maxSide: 3508,
};

/** One decoded page, re-encoded as JPEG so that pdf-lib can embed it without decoding. */
export interface RasterPage {
  jpeg: Uint8Array;
  width: number;
  height: number;
}

/** sharp (libvips) is loaded on first use; only images need it. */
async function loadSharp(): Promise<typeof import('sharp').default> {
  return (await import('sharp')).default;
}

async function pageToJpeg(
  bytes: Uint8Array,
  page: number,
  limits: RasterLimits,
): Promise<RasterPage> {
  const sharp = await loadSharp();
  try {
    const { data, info } = await sharp(bytes, {
      limitInputPixels: limits.maxPixels,
      failOn: 'truncated',
      page,
      pages: 1,
    })
      .rotate()
      .flatten({ background: '#ffffff' })
      .resize({
        width: limits.maxSide,
        height: limits.maxSide,
        fit: 'inside',
        withoutEnlargement: true,
      })
      .jpeg({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
    return { jpeg: data, width: info.width, height: info.height };
  } catch (error) {
    throw new PdfError(
      'ImageDamaged',
      `the image could not be decoded (${error instanceof Error ? error.message : String(error)})`,
      error,
    );
  }
}

/**
 * Decodes an image (every page of a TIFF, the first frame of a GIF) after checking the
 * pixel size in its header, so that a 30,000 × 30,000 image is refused before any
 * memory is taken for it.
 */
export async function rasterPages(
  bytes: Uint8Array,
  type: string,
  limits: RasterLimits = DEFAULT_RASTER_LIMITS,
): Promise<RasterPage[]> {
  const declared = imageSize(bytes, type);
  if (declared && declared.width * declared.height > limits.maxPixels) {
    throw new PdfError(
      'ImageTooLarge',
      `the image is ${declared.width} × ${declared.height} pixels, above the limit of ${limits.maxPixels} pixels`,
    );
  }
  let pages = 1;
  const sharp = await loadSharp();
  try {
    const meta = await sharp(bytes, { limitInputPixels: limits.maxPixels }).metadata();
    if (meta.width && meta.height && meta.width * meta.height > limits.maxPixels) {
      throw new PdfError(
        'ImageTooLarge',
        `the image is ${meta.width} × ${meta.height} pixels, above the limit of ${limits.maxPixels} pixels`,
      );
    }
    if (type === 'tiff') pages = meta.pages ?? 1;
  } catch (error) {
    if (error instanceof PdfError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (/pixel limit/i.test(message))
      throw new PdfError(
        'ImageTooLarge',
        `the image is above the limit of ${limits.maxPixels} pixels`,
        error,
      );
    throw new PdfError('ImageDamaged', `the image header could not be read (${message})`, error);
  }
  if (pages > limits.maxPages)
    throw new PdfError(
      'TooManyPages',
      `the image has ${pages} pages, above the limit of ${limits.maxPages}`,
    );
  const out: RasterPage[] = [];
  for (let page = 0; page < pages; page += 1) out.push(await pageToJpeg(bytes, page, limits));
  return out;
}
