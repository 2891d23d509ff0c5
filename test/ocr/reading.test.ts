import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OCR_CONFIG, PageReader } from '../../src/pdf/ocr/index.js';
import { scannedLetterPdf, scannedLetterPng, textLetterPdf } from './scans.js';

// One worker: the suite runs beside other test files on two cores.
const config = { ...DEFAULT_OCR_CONFIG, workers: 1 };
const budget = () => ({ deadline: Date.now() + 120_000 });

describe('reading scans', { timeout: 300_000 }, () => {
  let reader: PageReader;
  beforeAll(() => {
    reader = new PageReader(config);
  });
  afterAll(async () => {
    await reader.close();
  });

  it('reads Sagsnr. 24-100003 from a scanned PNG', async () => {
    const [text] = await reader.readImage(await scannedLetterPng('24-100003'), 'png', 1, budget());
    expect(text).toContain('Sagsnr. 24-100003');
    expect(text).toMatch(/Ankestyrelsen/);
    expect(text).toMatch(/Søren Østergaard Ærø/);
  });

  it('an image-only PDF gets OCR, a PDF with a text layer does not', async () => {
    const scanned = await reader.readPdf(await scannedLetterPdf('24-100004', 1), {
      ocr: true,
      budget: budget(),
    });
    expect(scanned.map((page) => page.source)).toEqual(['ocr']);
    expect(scanned[0]!.text).toContain('24-100004');
    expect(scanned[0]!.ocr!.words.length).toBeGreaterThan(100);

    const digital = await reader.readPdf(await textLetterPdf('24-100005', 2), {
      ocr: true,
      budget: budget(),
    });
    expect(digital.map((page) => page.source)).toEqual(['text-layer']);
    expect(digital[0]!.ocr).toBeNull();
    expect(digital[0]!.text).toContain('Sagsnr. 24-100005');
  });

  it('leaves a scan unread when the budget is spent, without failing', async () => {
    const pages = await reader.readPdf(await scannedLetterPdf('24-100006'), {
      ocr: true,
      budget: { deadline: Date.now() - 1 },
    });
    expect(pages.map((page) => page.source)).toEqual(['unread']);
    expect(pages[0]!.text).toBe('');
  });

  it('writes no language data into the working folder', () => {
    expect(readdirSync(process.cwd()).filter((name) => name.endsWith('.traineddata'))).toEqual([]);
    expect(existsSync('dan.traineddata')).toBe(false);
  });
});
