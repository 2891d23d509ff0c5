import { access, constants, readFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { run } from '../tools.js';
import { OcrError } from './errors.js';

/** Poppler's programs; each runs as its own process with a time limit, so a hostile PDF cannot hang us. */
export interface Poppler {
  pdfinfo: string;
  pdftotext: string;
  pdftoppm: string;
}

let found: Promise<Poppler | null> | null = null;

/** Looks poppler-utils up on PATH once; null when it is not installed. */
export function findPoppler(): Promise<Poppler | null> {
  found ??= (async () => {
    const paths: Partial<Poppler> = {};
    for (const name of ['pdfinfo', 'pdftotext', 'pdftoppm'] as const) {
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
    return paths.pdfinfo && paths.pdftotext && paths.pdftoppm ? (paths as Poppler) : null;
  })();
  return found;
}

export interface PdfPageBox {
  /** Size in points as displayed (rotation applied). */
  width: number;
  height: number;
  rotation: number;
}

/** Page count and sizes (pdfinfo); the count is capped at `maxPages` by asking for no more. */
export async function pdfPageBoxes(
  poppler: Poppler,
  file: string,
  maxPages: number,
  timeoutMs: number,
): Promise<PdfPageBox[]> {
  const result = await run(
    poppler.pdfinfo,
    ['-f', '1', '-l', String(maxPages), '--', file],
    timeoutMs,
  );
  if (result.code !== 0)
    throw new OcrError('OcrPdfUnreadable', `pdfinfo could not read the PDF (exit ${result.code})`);
  const boxes: PdfPageBox[] = [];
  for (const match of result.stdout.matchAll(/^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts/gm)) {
    boxes[Number(match[1]) - 1] = {
      width: Number(match[2]),
      height: Number(match[3]),
      rotation: 0,
    };
  }
  for (const match of result.stdout.matchAll(/^Page\s+(\d+) rot:\s+(\d+)/gm)) {
    const box = boxes[Number(match[1]) - 1];
    if (box) box.rotation = Number(match[2]) % 360;
  }
  if (boxes.length === 0) {
    const pages = /^Pages:\s+(\d+)/m.exec(result.stdout);
    if (!pages || Number(pages[1]) === 0)
      throw new OcrError('OcrPdfUnreadable', 'the PDF has no pages');
  }
  return boxes.filter(Boolean);
}

/** The text layer of pages 1..count, one string a page (pdftotext separates pages by form feeds). */
export async function pdfPageTexts(
  poppler: Poppler,
  file: string,
  count: number,
  timeoutMs: number,
): Promise<string[]> {
  const out = `${file}.txt`;
  const result = await run(
    poppler.pdftotext,
    ['-enc', 'UTF-8', '-f', '1', '-l', String(count), '--', file, out],
    timeoutMs,
  );
  if (result.code !== 0)
    throw new OcrError(
      'OcrPdfUnreadable',
      `pdftotext could not read the PDF (exit ${result.code})`,
    );
  const pages = (await readFile(out, 'utf8')).split('\f');
  return Array.from({ length: count }, (_, index) => pages[index] ?? '');
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
