/**
 * Danish letter pages with known text, for the OCR benchmark and tests: rendered to PDF
 * with pdf-lib and DejaVu Sans, rasterised with pdftoppm at 300 dpi, then degraded the
 * way real post arrives (noise, a skewed scan, a fax).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, PageSizes, rgb } from 'pdf-lib';
import sharp from 'sharp';
import { loadFontBytes } from '../src/pdf/fonts.js';

const execFileAsync = promisify(execFile);

export type Degradation = 'clean' | 'noisy' | 'skewed' | 'fax';

/** A letter from a municipality about one case; `variant` changes names and amounts. */
export function letterLines(caseNumber: string, variant = 0): string[] {
  const towns = ['Aarhus', 'Odense', 'Aalborg', 'Esbjerg', 'Randers', 'Kolding'];
  const town = towns[variant % towns.length]!;
  const amount = (12_450 + variant * 731).toLocaleString('da-DK');
  return [
    `${town} Kommune`,
    'Børne- og Familieafdelingen',
    'Rådhuspladsen 2',
    '',
    'Ankestyrelsen',
    'Teglholmsgade 3',
    '2450 København SV',
    '',
    `Sagsnr. ${caseNumber}`,
    `Dato: ${3 + (variant % 20)}. marts 2024`,
    '',
    'Vedrørende klage over afgørelse om tabt arbejdsfortjeneste',
    '',
    'Kommunen har modtaget jeres brev af 14. februar og sender hermed',
    'sagens akter til brug for behandlingen af klagen. Vi har genvurderet',
    'afgørelsen, men fastholder den, fordi familiens økonomi er ændret.',
    `Ydelsen var ${amount} kr. om måneden før ændringen.`,
    '',
    'Moderen har oplyst, at sønnen går i skole på nedsat tid, og at hun',
    'derfor må blive hjemme to dage om ugen. Lægens erklæring og skolens',
    'udtalelse er vedlagt. Vi beder om, at sagen behandles hurtigst muligt,',
    'så familien ikke står uden hjælp i sommerferien.',
    '',
    'Spørgsmål kan rettes til sagsbehandleren på telefon 89 40 20 00.',
    '',
    'Med venlig hilsen',
    '',
    'Søren Østergaard Ærø',
    'Afdelingsleder',
  ];
}

/** The letter as a one-page A4 PDF with a real text layer. */
export async function letterPdf(lines: string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont((await loadFontBytes()).regular, { subset: true });
  const page = doc.addPage(PageSizes.A4);
  let y = page.getHeight() - 72;
  for (const line of lines) {
    if (line) page.drawText(line, { x: 72, y, size: 11, font, color: rgb(0, 0, 0) });
    y -= 17;
  }
  return doc.save();
}

/** Page 1 of a PDF as a greyscale PNG at `dpi`. */
export async function rasterise(pdf: Uint8Array, dpi = 300): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'postrobot-ocr-page-'));
  try {
    await writeFile(join(dir, 'in.pdf'), pdf);
    await execFileAsync('pdftoppm', [
      '-r',
      String(dpi),
      '-gray',
      '-png',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      join(dir, 'in.pdf'),
      join(dir, 'page'),
    ]);
    return await readFile(join(dir, 'page.png'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A small deterministic generator, so that every run degrades the same way. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}

async function addNoise(
  png: Buffer,
  seed: number,
  speckle: number,
  grain: number,
): Promise<Buffer> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  const next = random(seed);
  for (let index = 0; index < data.length; index += 1) {
    const roll = next();
    if (roll < speckle) data[index] = roll < speckle / 2 ? 0 : 255;
    else data[index] = Math.max(0, Math.min(255, data[index]! + (next() - 0.5) * grain));
  }
  return sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } })
    .png()
    .toBuffer();
}

/** Makes a page look like one of the ways scans arrive. */
export async function degrade(png: Buffer, kind: Degradation, seed = 1): Promise<Buffer> {
  switch (kind) {
    case 'clean':
      return png;
    case 'noisy':
      return addNoise(await sharp(png).blur(0.6).png().toBuffer(), seed, 0.004, 70);
    case 'skewed': {
      // A sheet laid crooked on the glass: 2.5° and a grey cast.
      const turned = await sharp(png)
        .rotate(2.5, { background: '#ffffff' })
        .linear(0.9, 12)
        .png()
        .toBuffer();
      return addNoise(turned, seed, 0.001, 30);
    }
    case 'fax': {
      // Fine-mode fax: 204 × 196 dpi, one bit a pixel, then printed back to 300 dpi.
      const meta = await sharp(png).metadata();
      const width = Math.round(((meta.width ?? 2480) * 204) / 300);
      const height = Math.round(((meta.height ?? 3508) * 196) / 300);
      const low = await sharp(png)
        .resize(width, height, { fit: 'fill' })
        .threshold(150)
        .png()
        .toBuffer();
      const noisy = await addNoise(low, seed, 0.002, 0);
      return sharp(noisy)
        .resize(meta.width, meta.height, { fit: 'fill', kernel: 'nearest' })
        .threshold(128)
        .png()
        .toBuffer();
    }
  }
}

/** An image-only PDF: each PNG on its own A4 page, no text layer. */
export async function imageOnlyPdf(pngs: Buffer[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (const png of pngs) {
    const page = doc.addPage(PageSizes.A4);
    const image = await doc.embedPng(png);
    page.drawImage(image, { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() });
  }
  return doc.save();
}
