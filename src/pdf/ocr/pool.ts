import type { Logger } from 'pino';
import { createWorker, OEM, type Worker } from 'tesseract.js';
import { OcrError } from './errors.js';
import { languageFolder, type LanguageFolder } from './language-data.js';

/** One page image for tesseract, already prepared (greyscale, within the pixel limit). */
export interface OcrPage {
  /** An encoded image leptonica reads: PGM, PNG, JPEG, TIFF. */
  image: Uint8Array;
  /** Resolution of the image, so tesseract sizes its noise filters right. */
  dpi: number;
  /** Ask for word boxes too (for a PDF text layer); text alone is cheaper to pass back. */
  words?: boolean;
  /**
   * Work no mail decision waits for (the text layer of a case document): read after every
   * page a decision waits for, so that a mail's routing never queues behind a case's scans.
   */
  background?: boolean;
}

export interface OcrWord {
  text: string;
  confidence: number;
  /** Pixels of the page image, origin top left. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface OcrPageResult {
  text: string;
  /** Tesseract's mean word confidence, 0–100. */
  confidence: number;
  words: OcrWord[];
  ms: number;
}

export interface OcrPoolOptions {
  languages: string[];
  workers: number;
  pagesPerWorker: number;
  pageTimeoutMs: number;
  log?: Logger;
}

interface Slot {
  worker: Promise<Worker> | null;
  pages: number;
  busy: boolean;
}

interface Job {
  page: OcrPage;
  resolve(result: OcrPageResult): void;
  reject(error: unknown): void;
}

interface BlockTree {
  paragraphs: {
    lines: {
      words: {
        text: string;
        confidence: number;
        bbox: { x0: number; y0: number; x1: number; y1: number };
      }[];
    }[];
  }[];
}

function wordsOf(blocks: BlockTree[] | null): OcrWord[] {
  const out: OcrWord[] = [];
  for (const block of blocks ?? [])
    for (const paragraph of block.paragraphs)
      for (const line of paragraph.lines)
        for (const word of line.words) {
          if (word.text.trim())
            out.push({ text: word.text, confidence: word.confidence, ...word.bbox });
        }
  return out;
}

/**
 * A fixed number of tesseract.js workers (worker threads running tesseract in
 * WebAssembly) fed from one queue. A worker is replaced after `pagesPerWorker` pages,
 * and at once when a page runs past its time limit, so neither a slow page nor a
 * growing heap can hold the daemon.
 */
export class OcrPool {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private languages: Promise<LanguageFolder> | null = null;
  private closed = false;

  constructor(private readonly options: OcrPoolOptions) {
    this.slots = Array.from({ length: Math.max(1, options.workers) }, () => ({
      worker: null,
      pages: 0,
      busy: false,
    }));
  }

  /** Pages waiting or being read; callers use it to report load. */
  get pending(): number {
    return this.queue.length + this.slots.filter((slot) => slot.busy).length;
  }

  /** Starts every worker now rather than on the first page (0.5–1 s each). */
  async warm(): Promise<void> {
    await Promise.all(this.slots.map((slot) => this.workerOf(slot)));
  }

  recognize(page: OcrPage): Promise<OcrPageResult> {
    if (this.closed) return Promise.reject(new OcrError('OcrClosed', 'the OCR pool is closed'));
    return new Promise((resolve, reject) => {
      const job = { page, resolve, reject };
      const firstBackground = this.queue.findIndex((queued) => queued.page.background);
      if (page.background || firstBackground < 0) this.queue.push(job);
      else this.queue.splice(firstBackground, 0, job);
      this.dispatch();
    });
  }

  /** Ends every worker; queued pages fail with OcrClosed. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.queue.splice(0))
      job.reject(new OcrError('OcrClosed', 'the OCR pool closed before the page was read'));
    await Promise.all(this.slots.map((slot) => this.retire(slot)));
    if (this.languages) await (await this.languages.catch(() => null))?.remove();
  }

  private workerOf(slot: Slot): Promise<Worker> {
    if (!slot.worker) {
      this.languages ??= languageFolder(this.options.languages);
      slot.pages = 0;
      slot.worker = this.languages.then((folder) =>
        createWorker(this.options.languages.join('+'), OEM.LSTM_ONLY, {
          // Read the models from the local folder; never fetch, never write a cache file.
          langPath: folder.path,
          gzip: true,
          cacheMethod: 'none',
          logger: () => {},
          errorHandler: (error: unknown) =>
            this.options.log?.warn({ event: 'ocr-worker-error', err: error }, 'OCR worker error'),
        }).then(async (worker) => {
          // Tesseract's own diagnostics ("Image too small to scale!!") would go to stderr.
          await worker.setParameters({ debug_file: '/dev/null' });
          return worker;
        }),
      );
      // A worker that failed to start is started again for the next page.
      slot.worker.catch(() => {
        slot.worker = null;
      });
    }
    return slot.worker;
  }

  private async retire(slot: Slot): Promise<void> {
    const worker = slot.worker;
    slot.worker = null;
    slot.pages = 0;
    if (!worker) return;
    try {
      await (await worker).terminate();
    } catch {
      // a worker that never started has nothing to end
    }
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy || this.queue.length === 0 || this.closed) continue;
      const job = this.queue.shift()!;
      slot.busy = true;
      void this.run(slot, job).finally(() => {
        slot.busy = false;
        this.dispatch();
      });
    }
  }

  private async run(slot: Slot, job: Job): Promise<void> {
    if (slot.pages >= this.options.pagesPerWorker) await this.retire(slot);
    let timer: NodeJS.Timeout | undefined;
    try {
      const worker = await this.workerOf(slot);
      slot.pages += 1;
      const started = Date.now();
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new OcrError(
                'OcrTimedOut',
                `the page was not read within ${this.options.pageTimeoutMs} ms`,
              ),
            ),
          this.options.pageTimeoutMs,
        );
      });
      const work = (async () => {
        await worker.setParameters({ user_defined_dpi: String(Math.round(job.page.dpi)) });
        return worker.recognize(
          Buffer.from(job.page.image),
          {},
          { text: true, blocks: job.page.words === true },
        );
      })();
      const { data } = await Promise.race([work, timeout]);
      job.resolve({
        text: data.text,
        confidence: data.confidence,
        words: job.page.words ? wordsOf(data.blocks as unknown as BlockTree[] | null) : [],
        ms: Date.now() - started,
      });
    } catch (error) {
      // The worker is in an unknown state after a time-out or a crash: replace it.
      void this.retire(slot);
      job.reject(
        error instanceof OcrError
          ? error
          : new OcrError(
              'OcrFailed',
              `OCR failed (${error instanceof Error ? error.message : String(error)})`,
              error,
            ),
      );
    } finally {
      clearTimeout(timer);
    }
  }
}
