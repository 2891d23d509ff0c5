/** The PDF side of postrobot: mails and attachments as pages, and the combined case PDF. */
export { renderMailPdf, type MailPdfOptions } from './mail-pdf.js';
export {
  attachmentToPdf,
  type AttachmentPdf,
  type AttachmentPdfOptions,
} from './attachment-pdf.js';
export { buildCaseBundle } from './bundle.js';
export { buildCaseBundleInWorker, type BundleWorkerOptions } from './bundle-in-worker.js';
export type {
  BundleDocument,
  BundleEntry,
  BundleInput,
  BundleOptions,
  BundleResult,
} from './bundle-types.js';
export { compareAkt } from './akt-order.js';
export { loadFontBytes, type FontBytes } from './fonts.js';
export { findTools, type ExternalTools } from './tools.js';
export { sniffType, type DetectedType } from './sniff.js';
export { PdfError, type PdfErrorCode } from './errors.js';
export {
  ensureDocumentPdfs,
  rebuildCaseBundle,
  bundleInputFor,
  bundlePath,
  type CaseFilesDeps,
} from './case-files.js';
export { BundleQueue } from './bundle-queue.js';
