import { PostrobotError } from '../errors.js';

/**
 * Why a document could not be shown as it is. Every code ends up as the reason on a
 * placeholder page (and in the audit trail); none of them stops the mail or the loop.
 */
export type PdfErrorCode =
  | 'PdfEncrypted'
  | 'PdfPasswordProtected'
  | 'PdfDamaged'
  | 'PdfNoPages'
  | 'ImageTooLarge'
  | 'ImageDamaged'
  | 'TooManyPages'
  | 'ConverterMissing'
  | 'ConverterFailed'
  | 'ConversionTimedOut'
  | 'ConversionOutOfMemory'
  | 'UnsupportedType'
  | 'BundleFailed';

export class PdfError extends PostrobotError {
  override readonly code: PdfErrorCode;

  constructor(code: PdfErrorCode, message: string, cause?: unknown) {
    super(code, message, { retryable: false, cause });
    this.code = code;
  }
}

/** The stable code of any thrown value, for placeholders and audit events. */
export function pdfErrorCode(error: unknown): PdfErrorCode {
  return error instanceof PdfError ? error.code : 'ConverterFailed';
}
