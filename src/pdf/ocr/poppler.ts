import { access, constants, readFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { run } from '../tools.js';
import { OcrError } from './errors.js';

/**
 * Poppler's page drawer, for OCR of scanned pages; it runs as its own process with a time
 * limit, so a hostile PDF cannot hang us. (Text layers are read by pdf.js: pdf-text.ts.)
 */
export interface Poppler {
  pdftoppm: string;
}

let found: Promise<Poppler | null> | null = null;

/** Looks poppler-utils up on PATH once; null when it is not installed. */
export function findPoppler(): Promise<Poppler | null> {
  found ??= (async () => {
    const paths: Partial<Poppler> = {};
    for (const name of ['pdftoppm'] as const) {
      for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
        try {
          await access(join(dir, name), constants.X_OK);
          paths[name] = join(dir, name);
          break;
        } catch {
          // not in this folder
        }
      }
    }
    return paths.pdftoppm ? (paths as Poppler) : null;
  })();
  return found;
}

export interface PdfPageBox {
  /** Size in points as displayed (rotation applied). */
  width: number;
  height: number;
  rotation: number;
}

/** One page as an 8-bit greyscale PGM at `dpi` (media box, rotation applied). */
export async function rasterPdfPage(
  poppler: Poppler,
  file: string,
  page: number,
  dpi: number,
  timeoutMs: number,
): Promise<Uint8Array> {
  const prefix = `${file}-page${page}`;
  const args = [
    '-r',
    dpi.toFixed(2),
    '-gray',
    '-f',
    String(page),
    '-l',
    String(page),
    '-singlefile',
    '--',
    file,
    prefix,
  ];
  const result = await run(poppler.pdftoppm, args, timeoutMs);
  if (result.code !== 0)
    throw new OcrError(
      'OcrPdfUnreadable',
      `pdftoppm could not draw page ${page} (exit ${result.code})`,
    );
  return readFile(`${prefix}.pgm`);
}

/** A page has a usable text layer when it carries this many letters or digits. */
export const MIN_TEXT_LAYER_CHARS = 40;

export function hasTextLayer(text: string): boolean {
  return (text.match(/[\p{L}\p{N}]/gu)?.length ?? 0) >= MIN_TEXT_LAYER_CHARS;
}

/** Resolution to draw a page at: 300 dpi, less when the page would pass the pixel limit. */
export function rasterDpi(box: PdfPageBox, maxPixels: number): number {
  const squareInches = (box.width / 72) * (box.height / 72);
  return Math.max(50, Math.min(300, Math.sqrt(maxPixels / Math.max(squareInches, 0.01))));
}
