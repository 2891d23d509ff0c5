import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { DOCUMENT_SAVE } from './save-options.js';
import { decodeGuardTrips, guardPdfLibDecoding } from './decode-guard.js';
import { PdfError } from './errors.js';
import { run } from './tools.js';

export interface PdfSourceOptions {
  qpdf: string | null;
  maxPages: number;
  timeoutMs: number;
}

const isEncryptedError = (error: unknown): boolean =>
  error instanceof Error && /encrypted/i.test(error.message);

/** qpdf opens a file that is encrypted without a user password (only "owner" restrictions). */
async function decrypt(bytes: Uint8Array, options: PdfSourceOptions): Promise<Uint8Array> {
  if (!options.qpdf)
    throw new PdfError('PdfEncrypted', 'the PDF is encrypted and qpdf is not installed to open it');
  const dir = await mkdtemp(join(tmpdir(), 'postrobot-decrypt-'));
  try {
    await writeFile(join(dir, 'in.pdf'), bytes, { mode: 0o600 });
    const result = await run(
      options.qpdf,
      ['--decrypt', '--', join(dir, 'in.pdf'), join(dir, 'out.pdf')],
      options.timeoutMs,
    );
    // qpdf exits 3 for "done, with warnings".
    if (result.code !== 0 && result.code !== 3) {
      if (/password/i.test(result.stderr))
        throw new PdfError('PdfPasswordProtected', 'the PDF needs a password to open');
      throw new PdfError(
        'PdfEncrypted',
        `the PDF is encrypted and qpdf could not open it (exit ${result.code})`,
      );
    }
    return await readFile(join(dir, 'out.pdf'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function load(bytes: Uint8Array): Promise<PDFDocument> {
  guardPdfLibDecoding();
  const tripsBefore = decodeGuardTrips();
  try {
    const doc = await PDFDocument.load(bytes, {
      updateMetadata: false,
      throwOnInvalidObject: false,
    });
    if (decodeGuardTrips() > tripsBefore)
      throw new Error('a compressed stream inflates past the limit (decompression bomb)');
    return doc;
  } catch (error) {
    if (isEncryptedError(error)) throw error;
    throw new PdfError(
      'PdfDamaged',
      `the PDF could not be read (${error instanceof Error ? error.message : String(error)})`,
      error,
    );
  }
}

/**
 * The attachment's pages copied into a fresh PDF, so that the bundle only ever merges
 * files that pdf-lib has already read once. An encrypted file is opened with qpdf when it
 * has no user password; otherwise this throws and the caller puts a placeholder in.
 */
export async function pdfToPdf(
  bytes: Uint8Array,
  options: PdfSourceOptions,
): Promise<{ pdf: Uint8Array; pages: number }> {
  let source: PDFDocument;
  try {
    source = await load(bytes);
  } catch (error) {
    if (!isEncryptedError(error)) throw error;
    source = await load(await decrypt(bytes, options));
  }
  // pdf-lib reads some encrypted files without complaint but cannot decode their streams.
  if (source.isEncrypted) source = await load(await decrypt(bytes, options));
  const count = source.getPageCount();
  if (count === 0) throw new PdfError('PdfNoPages', 'the PDF has no pages');
  if (count > options.maxPages)
    throw new PdfError(
      'TooManyPages',
      `the PDF has ${count} pages, above the limit of ${options.maxPages}`,
    );
  const out = await PDFDocument.create({ updateMetadata: false });
  const pages = await out.copyPages(source, source.getPageIndices());
  for (const page of pages) out.addPage(page);
  return { pdf: await out.save(DOCUMENT_SAVE), pages: count };
}
