import { PostrobotError } from '../../errors.js';

/** Why a page or an attachment was not read; the mail is decided without that text. */
export type OcrErrorCode =
  | 'OcrLanguageMissing'
  | 'OcrTimedOut'
  | 'OcrFailed'
  | 'OcrImageUnreadable'
  | 'OcrPdfUnreadable'
  | 'OcrToolMissing'
  | 'OcrClosed';

export class OcrError extends PostrobotError {
  override readonly code: OcrErrorCode;

  constructor(code: OcrErrorCode, message: string, cause?: unknown) {
    // A time-out or a crashed worker may pass on a second try with a fresh worker.
    super(code, message, { retryable: code === 'OcrTimedOut' || code === 'OcrFailed', cause });
    this.code = code;
  }
}
