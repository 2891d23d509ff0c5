import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_OCR_CONFIG, OcrError, PageReader } from '../../src/pdf/ocr/index.js';
import { PdfTextReader } from '../../src/pdf/ocr/pdf-text.js';
import { makePdf } from '../pdf/helpers.js';

const budget = () => ({ deadline: Date.now() + 60_000 });
const page = { image: new Uint8Array([1, 2, 3]), dpi: 300 };

describe('what the page reader remembers for a mail', { timeout: 120_000 }, () => {
  let reader: PageReader | null = null;
  afterEach(async () => {
    vi.restoreAllMocks();
    await reader?.close();
    reader = null;
  });

  it('reads the same pixels once, and does not try a page that timed out again', async () => {
    reader = new PageReader({ ...DEFAULT_OCR_CONFIG, workers: 1 });
    const recognize = vi
      .spyOn(reader.pool, 'recognize')
      .mockResolvedValueOnce({ text: 'Sagsnr. 24-100010', confidence: 90, words: [], ms: 5 })
      .mockRejectedValueOnce(new OcrError('OcrTimedOut', 'the page was not read within 60000 ms'));
    expect((await reader.read(page)).text).toBe('Sagsnr. 24-100010');
    expect((await reader.read({ ...page })).text).toBe('Sagsnr. 24-100010');
    const other = { image: new Uint8Array([4, 5, 6]), dpi: 300 };
    await expect(reader.read(other)).rejects.toMatchObject({ code: 'OcrTimedOut' });
    await expect(reader.read(other)).rejects.toMatchObject({ code: 'OcrTimedOut' });
    expect(recognize).toHaveBeenCalledTimes(2);
  });

  it('reads the text layer of a PDF once when the mail is decided without OCR and then with it', async () => {
    const read = vi.spyOn(PdfTextReader.prototype, 'read');
    reader = new PageReader({ ...DEFAULT_OCR_CONFIG, workers: 1 });
    const pdf = await makePdf(['Sagsnr. 24-100011: afgørelse om hjælpemidler, side et af to']);
    const first = await reader.readPdf(pdf, { ocr: false, budget: budget() });
    const second = await reader.readPdf(Buffer.from(pdf), { ocr: true, budget: budget() });
    expect(second).toEqual(first);
    expect(second[0]!.source).toBe('text-layer');
    expect(read).toHaveBeenCalledTimes(1);
  });
});
