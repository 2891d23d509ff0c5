import { parentPort } from 'node:worker_threads';

/** One PDF to read: its bytes and how much of it to read at most. */
export interface PdfTextJob {
  id: number;
  bytes: Uint8Array;
  maxPages: number;
  maxChars: number;
}

/** A page as read from its text layer; the size is as displayed (rotation applied), in points. */
export interface PdfTextPage {
  width: number;
  height: number;
  rotation: number;
  text: string;
}

export type PdfTextReply =
  { id: number; ok: true; pages: PdfTextPage[] } | { id: number; ok: false; message: string };

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

async function readPages(pdfjs: PdfJs, job: PdfTextJob): Promise<PdfTextPage[]> {
  const doc = await pdfjs.getDocument({
    data: job.bytes,
    // Nothing from the file is ever run or drawn here: no eval of font programs, no font
    // faces, no fetches, no canvas; only the text operators of each page are read.
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    stopAtErrors: false,
    verbosity: 0,
  }).promise;
  try {
    const pages: PdfTextPage[] = [];
    let chars = 0;
    for (let number = 1; number <= Math.min(doc.numPages, job.maxPages); number += 1) {
      const page = await doc.getPage(number);
      const view = page.getViewport({ scale: 1 });
      let text = '';
      if (chars < job.maxChars) {
        for (const item of (await page.getTextContent()).items) {
          if (!('str' in item)) continue;
          text += item.hasEOL ? `${item.str}\n` : item.str;
        }
        text = text.slice(0, job.maxChars - chars);
        chars += text.length;
      }
      pages.push({ width: view.width, height: view.height, rotation: page.rotate, text });
      page.cleanup();
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}

/**
 * A long-lived worker that reads PDF text layers with pdf.js, one job at a time, so that
 * a hostile PDF is parsed under this thread's heap limit and can be stopped by ending the
 * thread, never on the daemon's main thread.
 */
async function main(): Promise<void> {
  const pdfjs: PdfJs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // pdf.js runs its parser behind a "fake worker" whose module it imports at the first
  // document (0.3 s); loaded here, before 'ready', no PDF's time limit pays for it.
  // (A name in a variable: the package ships no types for this file.)
  const fakeWorker = 'pdfjs-dist/legacy/build/pdf.worker.mjs';
  const handler: unknown = await import(fakeWorker);
  (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = handler;
  parentPort?.on('message', (job: PdfTextJob) => {
    readPages(pdfjs, job).then(
      (pages) => parentPort?.postMessage({ id: job.id, ok: true, pages } satisfies PdfTextReply),
      (error: unknown) =>
        parentPort?.postMessage({
          id: job.id,
          ok: false,
          message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        } satisfies PdfTextReply),
    );
  });
  parentPort?.postMessage('ready');
}

void main();
