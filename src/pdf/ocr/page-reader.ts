import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { OcrError } from './errors.js';
import { workerCount, type OcrConfig } from './options.js';
import { OcrPool, type OcrPage, type OcrPageResult } from './pool.js';
import { PdfTextReader } from './pdf-text.js';
import { findPoppler, hasTextLayer, rasterDpi, rasterPdfPage, type PdfPageBox } from './poppler.js';
import { prepareImage } from './prepare.js';

/** One page of a PDF as read: its text layer, or what OCR made of its image. */
export interface PdfPageText {
  box: PdfPageBox;
  text: string;
  source: 'text-layer' | 'ocr' | 'unread';
  /** Set for OCR pages: the words with boxes in pixels of the `dpi` raster. */
  ocr: (OcrPageResult & { dpi: number }) | null;
}

/** Stops work for one mail once its time budget is spent. */
export interface Budget {
  deadline: number;
}

const TOOL_TIMEOUT_MS = 60_000;
const CACHE_PAGES = 64;
const CACHE_PDFS = 32;

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Remembers the last `size` outcomes (results and failures alike) by key. */
class Recent<T> {
  private readonly entries = new Map<string, Promise<T>>();

  constructor(private readonly size: number) {}

  /** The outcome for `key`: the one remembered, or `make()`'s (remembered from now on). */
  get(key: string, make: () => Promise<T>): Promise<T> {
    const known = this.entries.get(key);
    if (known) return known;
    const made = make();
    made.catch(() => undefined);
    this.entries.set(key, made);
    if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
    return made;
  }
}

/**
 * Reads page images and PDFs with the OCR pool. The last outcomes are kept: OCR by the
 * hash of the prepared image, so the text layer added to a document later does not read
 * the same scanned page twice, and a page that failed (60 s to time out) is not tried
 * again while it is remembered; text layers by the PDF's sha256, so deciding a mail first
 * without OCR and then with it reads each attachment once.
 */
export class PageReader {
  readonly pool: OcrPool;
  private readonly text: PdfTextReader;
  private readonly ocrPages = new Recent<OcrPageResult>(CACHE_PAGES);
  private readonly textLayers = new Recent<readonly PdfPageText[]>(CACHE_PDFS);

  constructor(
    readonly config: OcrConfig,
    private readonly log?: Logger,
  ) {
    this.pool = new OcrPool({
      languages: config.languages,
      workers: workerCount(config),
      pagesPerWorker: config.pagesPerWorker,
      pageTimeoutMs: config.pageTimeoutSeconds * 1000,
      log,
    });
    this.text = new PdfTextReader({ maxPages: config.maxPagesPerAttachment });
  }

  /** OCR of one prepared page, or its outcome when the same pixels were read lately. */
  read(page: OcrPage): Promise<OcrPageResult> {
    return this.ocrPages.get(sha256(page.image), () =>
      this.pool.recognize({ ...page, words: true }),
    );
  }

  /** Each page's text layer and size; pages with too little text are 'unread'. */
  private readTextLayers(bytes: Uint8Array): Promise<readonly PdfPageText[]> {
    return this.textLayers.get(sha256(bytes), async () => {
      const pages: PdfPageText[] = (await this.text.read(bytes)).map((page) => ({
        box: { width: page.width, height: page.height, rotation: page.rotation },
        text: hasTextLayer(page.text) ? page.text : '',
        source: hasTextLayer(page.text) ? 'text-layer' : 'unread',
        ocr: null,
      }));
      if (pages.length === 0) throw new OcrError('OcrPdfUnreadable', 'the PDF has no pages');
      return pages;
    });
  }

  /** The text of each page of an image (every page of a TIFF, up to the page limit). */
  async readImage(
    bytes: Uint8Array,
    type: string,
    pages: number,
    budget: Budget,
  ): Promise<string[]> {
    const count = Math.min(pages, this.config.maxPagesPerAttachment);
    return this.inParallel(count, budget, async (index) => {
      const page = await prepareImage(bytes, type, index, {
        maxPixels: this.config.maxPixels,
        denoise: true,
        deskew: true,
      });
      return (await this.read(page)).text;
    });
  }

  /**
   * Every page of a PDF: the text layer where there is one (read in-process by pdf.js, in
   * its worker), OCR where there is none (when `ocr` is set; needs poppler-utils to draw
   * the page), up to the page limit.
   */
  async readPdf(
    bytes: Uint8Array,
    options: { ocr: boolean; budget: Budget; background?: boolean },
  ): Promise<PdfPageText[]> {
    // Copies: OCR fills in the pages it reads, and the remembered ones stay as read.
    const pages = (await this.readTextLayers(bytes)).map((page) => ({ ...page }));
    const scanned = pages
      .map((page, index) => ({ page, index }))
      .filter(({ page }) => page.source === 'unread');
    if (!options.ocr || scanned.length === 0) return pages;
    const poppler = await findPoppler();
    if (!poppler)
      throw new OcrError(
        'OcrToolMissing',
        'poppler-utils (pdftoppm) is not installed to draw scanned pages for OCR',
      );
    const dir = await mkdtemp(join(tmpdir(), 'postrobot-ocr-'));
    try {
      const file = join(dir, 'in.pdf');
      await writeFile(file, bytes, { mode: 0o600 });
      await this.inParallel(scanned.length, options.budget, async (at) => {
        const { page, index } = scanned[at]!;
        const dpi = rasterDpi(page.box, this.config.maxPixels);
        const raster = await rasterPdfPage(poppler, file, index + 1, dpi, TOOL_TIMEOUT_MS);
        // No deskew here: the words must stay where the page shows them, for the text layer.
        const prepared = await prepareImage(raster, 'pgm', 0, {
          maxPixels: this.config.maxPixels,
          denoise: true,
          deskew: false,
          defaultDpi: dpi,
        });
        const result = await this.read({ ...prepared, background: options.background ?? false });
        page.text = result.text;
        page.source = 'ocr';
        page.ocr = { ...result, dpi: prepared.dpi };
        return result.text;
      });
      return pages;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * Runs `count` page jobs with as many in flight as there are workers; a page whose turn
   * comes after the deadline, or that fails, is left unread (logged) and the rest go on.
   */
  private async inParallel(
    count: number,
    budget: Budget,
    job: (index: number) => Promise<string>,
  ): Promise<string[]> {
    const out: string[] = new Array(count).fill('');
    let next = 0;
    const lanes = Array.from({ length: Math.min(count, workerCount(this.config)) }, async () => {
      while (next < count) {
        const index = next++;
        if (Date.now() > budget.deadline) {
          this.log?.warn(
            { event: 'ocr-budget-spent', page: index + 1 },
            'OCR time budget spent; page left unread',
          );
          continue;
        }
        try {
          out[index] = await job(index);
        } catch (error) {
          this.log?.warn(
            {
              event: 'ocr-page-failed',
              page: index + 1,
              code: (error as { code?: string }).code,
              err: error,
            },
            'page not read',
          );
        }
      }
    });
    await Promise.all(lanes);
    return out;
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.close(), this.text.close()]);
  }
}
