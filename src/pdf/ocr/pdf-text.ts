import { Worker } from 'node:worker_threads';
import { workerEntry } from '../worker-entry.js';
import { OcrError } from './errors.js';
import type { PdfTextJob, PdfTextPage, PdfTextReply } from './pdf-text-worker.js';

export type { PdfTextPage } from './pdf-text-worker.js';

/** How much one PDF may cost the text-layer worker; each field has its default. */
export interface PdfTextLimits {
  /** Pages read; later pages are left out. */
  maxPages: number;
  /** Characters kept from one PDF. Default 200,000. */
  maxChars?: number;
  /** A PDF still being read after this long is given up and the worker replaced. Default 10 s. */
  timeoutMs?: number;
  /** V8 heap of the worker in MB. Default 256. */
  maxHeapMb?: number;
  /**
   * Most the process may grow (resident memory) while one PDF is read, in MB. Decoded
   * streams are array buffers outside the heap limit: a 2 MB FlateDecode bomb took pdf.js
   * past 1 GB in 15 s. Default 512.
   */
  maxGrowthMb?: number;
}

/** How often the memory of a PDF being read is looked at. */
const WATCH_MS = 100;

interface Running {
  id: number;
  resolve: (pages: PdfTextPage[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Reads PDF text layers in one warm worker thread (pdf.js), one PDF at a time. Spawning
 * pdfinfo and pdftotext for every attachment cost 50 ms of waiting and 8 ms of this
 * thread's time a mail; starting a worker per PDF would cost its 0.4 s of loading. A
 * PDF that runs past the time, heap or memory limit ends the worker, fails with the
 * reason, and the next PDF gets a fresh worker. The worker does not keep the process
 * alive when idle.
 */
export class PdfTextReader {
  private worker: Worker | null = null;
  private ready: Promise<Worker> | null = null;
  private running: Running | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private closed = false;

  constructor(private readonly limits: PdfTextLimits) {}

  /** The text layer of each page, up to the page limit. */
  read(bytes: Uint8Array): Promise<PdfTextPage[]> {
    const result = this.queue.then(() => this.readNow(bytes));
    this.queue = result.catch(() => undefined);
    return result;
  }

  private start(): Promise<Worker> {
    const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    const worker = new Worker(workerEntry(new URL(`./pdf-text-worker${ext}`, import.meta.url)), {
      resourceLimits: {
        maxOldGenerationSizeMb: this.limits.maxHeapMb ?? 256,
        maxYoungGenerationSizeMb: 32,
        stackSizeMb: 4,
      },
      // pdf.js warns on stdout about odd files; that must not reach the daemon's JSON log.
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    this.worker = worker;
    const ready = new Promise<Worker>((resolve, reject) => {
      worker.once('message', () => resolve(worker));
      worker.on('error', (error: Error & { code?: string }) => {
        const reason =
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? `reading the PDF went past the worker's heap limit of ${this.limits.maxHeapMb ?? 256} MB`
            : `the PDF text worker failed (${error.message})`;
        this.stop(worker, new OcrError('OcrPdfUnreadable', reason, error));
        reject(new OcrError('OcrPdfUnreadable', reason, error));
      });
      worker.on('exit', (code) => {
        const error = new OcrError(
          'OcrPdfUnreadable',
          `the PDF text worker stopped (exit ${code})`,
        );
        this.stop(worker, error);
        reject(error);
      });
    });
    ready.catch(() => undefined);
    this.ready = ready;
    return ready;
  }

  /** Forgets the worker (ending it) and fails the PDF it was reading. */
  private stop(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.ready = null;
    void worker.terminate();
    const running = this.running;
    this.running = null;
    if (running) {
      clearTimeout(running.timer);
      running.reject(error);
    }
  }

  private async readNow(bytes: Uint8Array): Promise<PdfTextPage[]> {
    if (this.closed) throw new OcrError('OcrClosed', 'the PDF text reader is closed');
    const worker = await (this.ready ?? this.start());
    worker.ref();
    const timeoutMs = this.limits.timeoutMs ?? 10_000;
    const maxGrowthMb = this.limits.maxGrowthMb ?? 512;
    const rssAtStart = process.memoryUsage.rss();
    const watch = setInterval(() => {
      if (process.memoryUsage.rss() - rssAtStart > maxGrowthMb * 1024 * 1024)
        this.stop(
          worker,
          new OcrError('OcrPdfUnreadable', `reading the PDF took more than ${maxGrowthMb} MB`),
        );
    }, WATCH_MS);
    try {
      return await new Promise<PdfTextPage[]>((resolve, reject) => {
        const id = this.nextId++;
        const timer = setTimeout(
          () =>
            this.stop(
              worker,
              new OcrError('OcrPdfUnreadable', `reading the PDF took longer than ${timeoutMs} ms`),
            ),
          timeoutMs,
        );
        this.running = { id, resolve, reject, timer };
        const onReply = (reply: PdfTextReply): void => {
          if (reply.id !== id || this.running?.id !== id) return;
          worker.off('message', onReply);
          clearTimeout(timer);
          this.running = null;
          if (reply.ok) resolve(reply.pages);
          else
            reject(
              new OcrError('OcrPdfUnreadable', `the PDF could not be read (${reply.message})`),
            );
        };
        worker.on('message', onReply);
        // A copy the worker owns: the attachment's Buffer may be a view into a shared pool.
        const copy = new Uint8Array(bytes);
        const job: PdfTextJob = {
          id,
          bytes: copy,
          maxPages: this.limits.maxPages,
          maxChars: this.limits.maxChars ?? 200_000,
        };
        worker.postMessage(job, [copy.buffer]);
      });
    } finally {
      clearInterval(watch);
      if (this.worker === worker) worker.unref();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    if (worker) this.stop(worker, new OcrError('OcrClosed', 'the PDF text reader is closed'));
    await this.queue;
  }
}
