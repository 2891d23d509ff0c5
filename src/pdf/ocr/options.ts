import { availableParallelism } from 'node:os';
import { z } from 'zod';

/**
 * The `ocr` section of postrobot.yaml. OCR reads scanned attachments (images, PDF pages
 * without a text layer) so that their case numbers and words reach the classifier.
 */
export const ocrSchema = z
  .strictObject({
    /** Off: only text layers and text files are read; scans stay unread. */
    enabled: z.boolean().default(true),
    /** OCR workers; 0 means one per core. Each holds about 250 MB while it works. */
    workers: z.number().int().min(0).max(64).default(0),
    /** A worker is replaced after this many pages, because tesseract's memory only grows. */
    pagesPerWorker: z.number().int().min(1).default(200),
    /** A page still being read after this long is given up and its worker replaced. */
    pageTimeoutSeconds: z.number().min(1).max(3600).default(60),
    /** Longest a mail's decision waits for the OCR of its attachments. */
    mailBudgetSeconds: z.number().min(1).max(3600).default(180),
    /** Most pixels of one page image; a larger image is scaled down before OCR. */
    maxPixels: z.number().int().min(100_000).default(40_000_000),
    /** Most pages read by OCR from one attachment; later pages are left unread. */
    maxPagesPerAttachment: z.number().int().min(1).default(30),
    /** Tesseract language codes; each needs its @tesseract.js-data package installed. */
    languages: z
      .array(z.enum(['dan', 'eng']))
      .min(1)
      .default(['dan', 'eng']),
  })
  .prefault({});

export type OcrConfig = z.infer<typeof ocrSchema>;

/** The configuration's defaults, for callers (tests, the bench) without a config file. */
export const DEFAULT_OCR_CONFIG: OcrConfig = ocrSchema.parse({});

/** Workers to start: the configured number, or one per core. */
export function workerCount(config: OcrConfig): number {
  return config.workers > 0 ? config.workers : Math.max(1, availableParallelism());
}
