import { afterEach, describe, expect, it } from 'vitest';
import { OcrPool } from '../../src/pdf/ocr/index.js';
import { scannedLetterPng } from './scans.js';

describe('the OCR queue', { timeout: 180_000 }, () => {
  let pool: OcrPool | null = null;
  afterEach(async () => {
    await pool?.close();
    pool = null;
  });

  it("GIVEN case-PDF scans queued for text layers, WHEN a mail's decision needs a scan read, THEN its page is read before the waiting background pages", async () => {
    pool = new OcrPool({
      languages: ['dan'],
      workers: 1,
      pagesPerWorker: 50,
      pageTimeoutMs: 120_000,
    });
    const [first, second, third, decision] = await Promise.all([
      scannedLetterPng('24-100101', 0),
      scannedLetterPng('24-100102', 1),
      scannedLetterPng('24-100103', 2),
      scannedLetterPng('24-100104', 0),
    ]);
    const finished: string[] = [];
    const read = (name: string, image: Buffer, background: boolean): Promise<void> =>
      pool!.recognize({ image, dpi: 300, background }).then((result) => {
        finished.push(name);
        expect(result.text).toMatch(/24-1001\d\d/);
      });
    // One worker: the first background page is taken at once, the rest wait in the queue.
    const reads = [
      read('background 1', first!, true),
      read('background 2', second!, true),
      read('background 3', third!, true),
      read('decision', decision!, false),
    ];
    await Promise.all(reads);
    expect(finished).toEqual(['background 1', 'decision', 'background 2', 'background 3']);
  });
});
