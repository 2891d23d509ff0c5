import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants as zlibConstants, inflateSync } from 'node:zlib';
import {
  PDFArray,
  PDFDocument,
  PDFInvalidObject,
  PDFName,
  PDFNull,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFStream,
  StandardFonts,
  type PDFFont,
} from 'pdf-lib';
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

/**
 * qpdf's rewrite of the file without encryption (it opens one that has no user password)
 * and with a rebuilt cross-reference table: the output, or qpdf's exit code and stderr.
 */
async function qpdfRewrite(
  qpdf: string,
  bytes: Uint8Array,
  timeoutMs: number,
): Promise<{ pdf: Uint8Array } | { code: number; stderr: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'postrobot-qpdf-'));
  try {
    await writeFile(join(dir, 'in.pdf'), bytes, { mode: 0o600 });
    const result = await run(
      qpdf,
      ['--decrypt', '--', join(dir, 'in.pdf'), join(dir, 'out.pdf')],
      timeoutMs,
    );
    // qpdf exits 3 for "done, with warnings" (a repaired file gets them).
    if (result.code !== 0 && result.code !== 3) return result;
    return { pdf: await readFile(join(dir, 'out.pdf')) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** qpdf opens a file that is encrypted without a user password (only "owner" restrictions). */
async function decrypt(bytes: Uint8Array, options: PdfSourceOptions): Promise<Uint8Array> {
  if (!options.qpdf)
    throw new PdfError('PdfEncrypted', 'the PDF is encrypted and qpdf is not installed to open it');
  const result = await qpdfRewrite(options.qpdf, bytes, options.timeoutMs);
  if ('pdf' in result) return result.pdf;
  if (/password/i.test(result.stderr))
    throw new PdfError('PdfPasswordProtected', 'the PDF needs a password to open');
  throw new PdfError(
    'PdfEncrypted',
    `the PDF is encrypted and qpdf could not open it (exit ${result.code})`,
  );
}

/**
 * Replaces the objects pdf-lib could not parse with null and says how many there were.
 * pdf-lib keeps such an object as its raw bytes and writes them back out as they are, so
 * one damaged object in one attachment made the whole case PDF fail qpdf --check.
 */
export function dropInvalidObjects(doc: PDFDocument): number {
  let dropped = 0;
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    if (object instanceof PDFInvalidObject) {
      doc.context.assign(ref, PDFNull);
      dropped += 1;
    }
  }
  return dropped;
}

/**
 * Streams whose /Length is an indirect object and whose bytes pdf-lib took to be another
 * length. pdf-lib cannot follow such a length while it parses, so it looks for
 * "endstream" and drops a line end before it, which cut the last byte off compressed data
 * ending in 0x0a or 0x0d (seen in PDFs written by cairo): the copy then failed qpdf --check.
 */
function misreadStreams(doc: PDFDocument): number {
  let misread = 0;
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFRawStream)) continue;
    const length = object.dict.get(PDFName.of('Length'));
    if (!(length instanceof PDFRef)) continue;
    const value = doc.context.lookup(length);
    if (value instanceof PDFNumber && value.asNumber() !== object.contents.length) misread += 1;
  }
  return misread;
}

/** Whether a FlateDecode stream inflates (a stream with other filters is taken as it is). */
function inflates(stream: PDFRawStream): boolean {
  const filter = stream.dict.get(PDFName.of('Filter'));
  const name = filter instanceof PDFArray && filter.size() === 1 ? filter.get(0) : filter;
  if (filter === undefined) return true;
  if (!(name instanceof PDFName) || name.asString() !== '/FlateDecode') return true;
  try {
    // Sync flush: a stream that ends without zlib's trailer still counts, as qpdf reads it.
    inflateSync(stream.contents, {
      finishFlush: zlibConstants.Z_SYNC_FLUSH,
      maxOutputLength: MAX_CONTENT_BYTES,
    });
    return true;
  } catch {
    return false;
  }
}

const MAX_CONTENT_BYTES = 64 * 1024 * 1024;

/**
 * A page whose content cannot be decoded (a damaged file: qpdf --check calls that an
 * error, and a viewer shows nothing or stops) gets a line saying so in its place; the
 * other pages stay as they are and the page count is kept.
 */
async function markUndecodablePages(doc: PDFDocument): Promise<number> {
  let marked = 0;
  let font: PDFFont | null = null;
  for (const page of doc.getPages()) {
    const value = page.node.get(PDFName.of('Contents'));
    if (value === undefined) continue;
    const resolved = doc.context.lookup(value);
    const streams = resolved instanceof PDFArray ? resolved.asArray() : [value];
    // Not a stream at all (a damaged reference) counts as broken too: qpdf warns about it.
    const broken = streams.some((item) => {
      const stream = doc.context.lookup(item);
      return (
        !(stream instanceof PDFStream) || (stream instanceof PDFRawStream && !inflates(stream))
      );
    });
    if (!broken) continue;
    page.node.delete(PDFName.of('Contents'));
    font ??= await doc.embedFont(StandardFonts.Helvetica);
    const { height } = page.getSize();
    page.drawText('Siden er beskadiget i den modtagne PDF-fil og kan ikke vises.', {
      x: 50,
      y: height - 80,
      size: 12,
      font,
    });
    page.drawText('Originalen er gemt uændret på sagen.', {
      x: 50,
      y: height - 98,
      size: 12,
      font,
    });
    marked += 1;
  }
  return marked;
}

/** qpdf's reconstruction of a damaged file, or null without qpdf or when it fails too. */
async function repair(bytes: Uint8Array, options: PdfSourceOptions): Promise<Uint8Array | null> {
  if (!options.qpdf) return null;
  const result = await qpdfRewrite(options.qpdf, bytes, options.timeoutMs).catch(() => null);
  return result && 'pdf' in result ? result.pdf : null;
}

/**
 * The converted PDF as qpdf --check passes it. pdf-lib reads damaged syntax leniently (a
 * hex string with other letters in it, a stray token) and writes it back as it found it,
 * so a damaged attachment made the case PDF fail the check. When qpdf finds fault with
 * the copy, its own rewrite (which writes what it read in clean syntax) is taken instead,
 * if that one passes.
 */
async function checkedByQpdf(pdf: Uint8Array, options: PdfSourceOptions): Promise<Uint8Array> {
  if (!options.qpdf) return pdf;
  const qpdf = options.qpdf;
  const dir = await mkdtemp(join(tmpdir(), 'postrobot-check-'));
  const passes = async (file: string): Promise<boolean> =>
    (await run(qpdf, ['--check', file], options.timeoutMs)).code === 0;
  try {
    await writeFile(join(dir, 'copy.pdf'), pdf, { mode: 0o600 });
    if (await passes(join(dir, 'copy.pdf'))) return pdf;
    const rewritten = await run(
      qpdf,
      ['--', join(dir, 'copy.pdf'), join(dir, 'clean.pdf')],
      options.timeoutMs,
    );
    if (rewritten.code !== 0 && rewritten.code !== 3) return pdf;
    return (await passes(join(dir, 'clean.pdf'))) ? await readFile(join(dir, 'clean.pdf')) : pdf;
  } catch {
    return pdf;
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
  if (dropInvalidObjects(source) + misreadStreams(source) > 0) {
    // Damaged or misread: qpdf's rewrite usually gets the objects back (and writes every
    // length directly); what is still broken is dropped.
    const repaired = await repair(bytes, options);
    if (repaired) {
      source = await load(repaired).catch(() => source);
      dropInvalidObjects(source);
    }
  }
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
  await markUndecodablePages(out);
  return { pdf: await checkedByQpdf(await out.save(DOCUMENT_SAVE), options), pages: count };
}
