import { afterEach, describe, expect, it } from 'vitest';
import { PdfTextReader } from '../../src/pdf/ocr/pdf-text.js';
import { flateBombPdf, makePdf } from '../pdf/helpers.js';

/**
 * A one-page PDF whose content stream inflates to `inflatedMb` MB of spaces, which pdf.js
 * decodes to read the page's text: pdf-lib's bomb (an unused object stream there) made
 * the page's contents. The file has no xref table either way; readers rebuild it.
 */
async function contentBombPdf(inflatedMb: number): Promise<Buffer> {
  const bomb = await flateBombPdf(inflatedMb);
  const head = bomb.indexOf('stream\n') + 'stream\n'.length;
  const objects = bomb
    .subarray(0, head)
    .toString('latin1')
    .replace('/MediaBox [0 0 595 842] >>', '/MediaBox [0 0 595 842] /Contents 4 0 R >>')
    .replace('/Type /ObjStm /N 1 /First 4 ', '');
  return Buffer.concat([Buffer.from(objects, 'latin1'), bomb.subarray(head)]);
}

describe('PDF text layers read by pdf.js in one warm worker', { timeout: 120_000 }, () => {
  let reader: PdfTextReader | null = null;
  let bomb: Promise<Buffer> | null = null;
  /** Made once for the two tests that need it: deflating a gigabyte takes seconds. */
  const gigabyteBomb = (): Promise<Buffer> => (bomb ??= contentBombPdf(1024));
  afterEach(async () => {
    await reader?.close();
    reader = null;
  });

  it('reads each page with its size as displayed and its rotation, up to the page limit', async () => {
    reader = new PdfTextReader({ maxPages: 2 });
    const pages = await reader.read(
      await makePdf(['Sagsnr. 24-123456 side et', 'Side to: æøå ÆØÅ', 'Side tre'], { rotate: 90 }),
    );
    expect(pages).toHaveLength(2);
    expect(pages[0]).toMatchObject({ width: 842, height: 595, rotation: 90 });
    expect(pages[0]!.text).toContain('Sagsnr. 24-123456 side et');
    expect(pages[1]!.text).toContain('Side to: æøå ÆØÅ');
  });

  it('keeps no more characters than the limit', async () => {
    reader = new PdfTextReader({ maxPages: 30, maxChars: 30 });
    const pages = await reader.read(
      await makePdf(['a'.repeat(25), 'b'.repeat(25), 'c'.repeat(25)]),
    );
    expect(pages.map((page) => page.text.length)).toEqual([25, 5, 0]);
  });

  it('fails on bytes that are no PDF, and reads the next PDF', async () => {
    reader = new PdfTextReader({ maxPages: 30 });
    await expect(reader.read(Buffer.from('%PDF-1.4\nnot really'))).rejects.toMatchObject({
      code: 'OcrPdfUnreadable',
    });
    const [page] = await reader.read(await makePdf(['Sagsnr. 24-100007']));
    expect(page!.text).toContain('Sagsnr. 24-100007');
  });

  it('gives a FlateDecode bomb up at the memory limit, and a fresh worker reads the next PDF', async () => {
    reader = new PdfTextReader({ maxPages: 30, maxGrowthMb: 96, timeoutMs: 60_000 });
    const error = await reader.read(await gigabyteBomb()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'OcrPdfUnreadable' });
    expect(String(error)).toMatch(/more than 96 MB/);
    const [page] = await reader.read(await makePdf(['Sagsnr. 24-100008']));
    expect(page!.text).toContain('Sagsnr. 24-100008');
  });

  it('gives a PDF up at the time limit, and a fresh worker reads the next PDF', async () => {
    reader = new PdfTextReader({ maxPages: 30, maxGrowthMb: 4096, timeoutMs: 3_000 });
    const error = await reader.read(await gigabyteBomb()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'OcrPdfUnreadable' });
    expect(String(error)).toMatch(/longer than 3000 ms/);
    const [page] = await reader.read(await makePdf(['Sagsnr. 24-100009']));
    expect(page!.text).toContain('Sagsnr. 24-100009');
  });

  it('refuses work once closed', async () => {
    reader = new PdfTextReader({ maxPages: 30 });
    await reader.close();
    await expect(reader.read(await makePdf(['x']))).rejects.toMatchObject({ code: 'OcrClosed' });
  });
});
