/** OCR of scanned attachments: Danish and English, offline, in a pool of tesseract.js workers. */
import type { Logger } from 'pino';
import { AttachmentTextReader } from './attachment-text.js';
import type { AttachmentTextSource } from './decide-with-scans.js';
import type { OcrConfig } from './options.js';
import { addOcrTextLayer } from './text-layer.js';

export {
  AttachmentTextReader,
  mayHoldScans,
  type AttachmentTextResult,
} from './attachment-text.js';
export { decideWithAttachmentText, type AttachmentTextSource } from './decide-with-scans.js';
export { OcrError, type OcrErrorCode } from './errors.js';
export { DEFAULT_OCR_CONFIG, ocrSchema, workerCount, type OcrConfig } from './options.js';
export { PageReader } from './page-reader.js';
export { OcrPool, type OcrPage, type OcrPageResult, type OcrWord } from './pool.js';
export { addOcrTextLayer, type TextLayerResult } from './text-layer.js';

/** What the daemon is given: attachment text for decisions, text layers for filed scans. */
export interface AttachmentTextService {
  text: AttachmentTextSource;
  /** The PDF with invisible OCR text on its scanned pages; the PDF unchanged when that fails. */
  textLayer: (pdf: Uint8Array) => Promise<Uint8Array>;
  reader: AttachmentTextReader;
  close(): Promise<void>;
}

/** Built once in the daemon's wiring; workers start on the first scan, not before. */
export function createAttachmentTextService(
  config: OcrConfig,
  log?: Logger,
  onPages?: (pages: number) => void,
): AttachmentTextService {
  const reader = new AttachmentTextReader(config, log);
  return {
    reader,
    text: async (mail, options) => {
      const started = Date.now();
      const result = await reader.read(mail, options);
      if (result.ocrPages > 0) onPages?.(result.ocrPages);
      if (result.ocrPages > 0)
        log?.info(
          { event: 'ocr-read', pages: result.ocrPages, ms: Date.now() - started },
          'scanned attachments read',
        );
      return result.text;
    },
    textLayer: async (pdf) => {
      if (!config.enabled) return pdf;
      try {
        return (await addOcrTextLayer(pdf, reader.pages)).pdf;
      } catch (error) {
        log?.warn(
          { event: 'ocr-text-layer-failed', code: (error as { code?: string }).code, err: error },
          'no text layer added',
        );
        return pdf;
      }
    },
    close: () => reader.close(),
  };
}
