import { readFileSync } from 'node:fs';
import { PDFDocument, ParseSpeeds, type PDFPage } from 'pdf-lib';
import { compareAkt, parentAkt } from './akt-order.js';
import { writeFileAtomic } from './atomic-write.js';
import type {
  BundleDocument,
  BundleEntry,
  BundleInput,
  BundleOptions,
  BundlePhases,
  BundleResult,
} from './bundle-types.js';
import { guardPdfLibDecoding } from './decode-guard.js';
import { embedBundleFonts } from './bundle-fonts.js';
import { loadFontBytes, type FontBytes, type Fonts } from './fonts.js';
import { drawCover, drawToc, formatDay, tocPageCount, type FrontMatter } from './front-matter.js';
import { dropInvalidObjects } from './convert-pdf.js';
import { writeOutline, type OutlineItem } from './outline.js';
import { A4, PageWriter } from './page-writer.js';
import { FooterStamper } from './stamp.js';
import { patchPdfLibStreamCopy, patchPdfLibStreamSharing } from './stream-copy-patch.js';

export type {
  BundleDocument,
  BundleEntry,
  BundleInput,
  BundleOptions,
  BundleResult,
} from './bundle-types.js';

/** Copies one document's pages to the end of the bundle; a PDF that cannot be read gets a notice page. */
async function appendDocument(
  out: PDFDocument,
  document: BundleDocument,
  fonts: Fonts,
  phases: BundlePhases,
): Promise<{ pages: number; error: string | null }> {
  try {
    let started = performance.now();
    // Parsing yields to the event loop every 100 objects by default; the bundle runs in a
    // worker, where yielding only adds idle time (0.7 s on a 1,000-page case). For the same
    // reason the file is read in one call: fs.promises.readFile reads in 512 KB rounds
    // through the thread pool, 0.2-0.35 s for the 50 MB of a 1,000-page case against
    // 0.03 s read at once.
    const source = await PDFDocument.load(readFileSync(document.pdfFile), {
      updateMetadata: false,
      throwOnInvalidObject: false,
      parseSpeed: ParseSpeeds.Fastest,
    });
    // A document stored before damaged objects were dropped at conversion, or damaged since.
    dropInvalidObjects(source);
    phases.read += performance.now() - started;
    started = performance.now();
    const copied = await out.copyPages(source, source.getPageIndices());
    phases.copy += performance.now() - started;
    if (copied.length === 0) throw new Error('the PDF has no pages');
    for (const page of copied) out.addPage(page);
    return { pages: copied.length, error: null };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const writer = new PageWriter(out, fonts);
    writer.paragraph(`Akt ${document.akt}: ${document.title}`, {
      font: 'bold',
      size: 14,
      after: 8,
    });
    writer.paragraph(
      'Dokumentets PDF kunne ikke læses, da den samlede sag blev dannet. Originalen er gemt uændret på sagen.',
      { after: 6 },
    );
    writer.field('Årsag:', reason);
    return { pages: 1, error: reason };
  }
}

function bookmarkTitle(
  entry: BundleEntry & { sender: string | null; date: string | null },
  timeZone: string,
): string {
  const details = [entry.sender, formatDay(entry.date, timeZone)].filter(Boolean).join(', ');
  return `Akt ${entry.akt} – ${entry.title}${details ? ` (${details})` : ''}`;
}

/** Attachments (n.1, n.2 …) nest under their mail when the mail is in the bundle. */
function outlineItems(entries: FrontMatter['entries'], timeZone: string): OutlineItem[] {
  const top: OutlineItem[] = [];
  const byAkt = new Map<string, OutlineItem>();
  for (const entry of entries) {
    const item: OutlineItem = {
      title: bookmarkTitle(entry, timeZone),
      pageIndex: entry.firstPage - 1,
      children: [],
    };
    const parent = parentAkt(entry.akt);
    const holder = parent === null ? undefined : byAkt.get(parent);
    (holder ? holder.children : top).push(item);
    byAkt.set(entry.akt, item);
  }
  return top;
}

/**
 * Builds the combined case PDF: a cover page, a table of contents with page numbers and
 * links, every document in akt order with a bookmark each, and a footer stamp on every
 * page ("Sag 24-123456 · Akt 3 · side 5 af 40"). Written atomically with mode 0600.
 * Documents are read one at a time, so memory grows with the bundle, not with the inputs.
 */
export async function buildCaseBundle(
  input: BundleInput,
  outFile: string,
  options: BundleOptions & { fonts?: FontBytes } = {},
): Promise<BundleResult> {
  let started = performance.now();
  const phases: BundlePhases = { read: 0, copy: 0, front: 0, stamp: 0, serialize: 0, write: 0 };
  guardPdfLibDecoding();
  patchPdfLibStreamCopy();
  patchPdfLibStreamSharing();
  const timeZone = options.timeZone ?? 'Europe/Copenhagen';
  const documents = [...input.documents].sort((a, b) => compareAkt(a.akt, b.akt));
  const out = await PDFDocument.create();
  out.setTitle(`Sag ${input.caseNumber}`);
  out.setProducer('postrobot');
  out.setCreator('postrobot');
  out.setCreationDate(input.builtAt);
  out.setModificationDate(input.builtAt);
  const fonts = await embedBundleFonts(out, options.fonts ?? (await loadFontBytes()));
  const frontPages = 1 + tocPageCount(documents.length);
  for (let index = 0; index < frontPages; index += 1) out.addPage(A4);
  phases.front += performance.now() - started;

  const entries: FrontMatter['entries'] = [];
  const aktOfPage: string[] = [];
  for (const document of documents) {
    const firstPage = out.getPageCount() + 1;
    const { pages, error } = await appendDocument(out, document, fonts, phases);
    for (let index = 0; index < pages; index += 1) aktOfPage.push(document.akt);
    entries.push({
      akt: document.akt,
      title: document.title,
      sender: document.sender,
      date: document.date,
      firstPage,
      pages,
      error,
    });
  }

  started = performance.now();
  const all: PDFPage[] = out.getPages();
  const totalPages = all.length;
  const front: FrontMatter = { input, entries, totalPages, timeZone };
  drawCover(all[0]!, fonts, front);
  drawToc(out, all.slice(1, frontPages), fonts, front);
  phases.front += performance.now() - started;
  started = performance.now();
  const stamper = new FooterStamper(out, fonts.regular);
  all.forEach((page, index) => {
    const where =
      index === 0
        ? 'Forside'
        : index < frontPages
          ? 'Indhold'
          : `Akt ${aktOfPage[index - frontPages]}`;
    stamper.stamp(page, `Sag ${input.caseNumber} · ${where} · side ${index + 1} af ${totalPages}`);
  });
  phases.stamp += performance.now() - started;
  started = performance.now();
  writeOutline(out, outlineItems(entries, timeZone));
  phases.front += performance.now() - started;
  started = performance.now();

  // Without object streams the file is ~3 % larger but saves in two thirds of the time
  // (no pako deflate of every dictionary); qpdf --check is clean either way.
  const bytes = await out.save({ objectsPerTick: Infinity, useObjectStreams: false });
  phases.serialize += performance.now() - started;
  started = performance.now();
  await writeFileAtomic(outFile, bytes);
  phases.write += performance.now() - started;
  return {
    file: outFile,
    pages: totalPages,
    documents: documents.length,
    bytes: bytes.length,
    frontPages,
    entries: entries.map(({ akt, title, firstPage, pages, error }) => ({
      akt,
      title,
      firstPage,
      pages,
      error,
    })),
    phases,
  };
}
