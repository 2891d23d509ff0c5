import type { MailAttachment } from '../types.js';
import type { AttachmentJob, AttachmentJobResult } from './attachment-worker.js';
import {
  DEFAULT_CONVERT_LIMITS,
  convertKnownType,
  type AttachmentPdf,
  type ConvertSettings,
} from './convert-attachment.js';
import { PdfError, pdfErrorCode, type PdfErrorCode } from './errors.js';
import { loadFontBytes, type FontBytes } from './fonts.js';
import { renderPlaceholderPdf } from './placeholder.js';
import type { RasterLimits } from './raster.js';
import { sniffType, type DetectedType } from './sniff.js';
import { findTools, type ExternalTools } from './tools.js';
import { runWorker } from './run-worker.js';

export type { AttachmentPdf } from './convert-attachment.js';

export interface AttachmentPdfOptions {
  /** Run the conversion in a worker with memory and time limits (default true). */
  isolate?: boolean;
  /** Wall-clock limit for one conversion, worker start included. Default 120 s. */
  timeoutMs?: number;
  /** V8 heap limit of the worker in MB. Default 512. */
  maxHeapMb?: number;
  tools?: ExternalTools;
  fonts?: FontBytes;
  raster?: RasterLimits;
  maxPages?: number;
  maxTextChars?: number;
}

/** How much sooner than the worker a converter subprocess is stopped. */
const TOOL_MARGIN_MS = 5_000;

/** The Danish sentence a caseworker reads on the placeholder page, by error code. */
const REASONS: Record<string, string> = {
  PdfEncrypted: 'PDF-filen er krypteret og kunne ikke åbnes',
  PdfPasswordProtected: 'PDF-filen er beskyttet med en adgangskode',
  PdfDamaged: 'PDF-filen er beskadiget og kunne ikke læses',
  PdfNoPages: 'PDF-filen har ingen sider',
  ImageTooLarge: 'billedet er for stort til at blive vist',
  ImageDamaged: 'billedet er beskadiget eller afkortet',
  TooManyPages: 'filen har for mange sider',
  ConverterMissing: 'filtypen kræver et konverteringsprogram, som ikke er installeret',
  ConverterFailed: 'filen kunne ikke konverteres',
  ConversionTimedOut: 'konverteringen tog for lang tid og blev stoppet',
  ConversionOutOfMemory: 'konverteringen brugte for meget hukommelse og blev stoppet',
  UnsupportedType: 'filtypen kan ikke vises som sider',
};

async function runInWorker(
  job: AttachmentJob,
  timeoutMs: number,
  maxHeapMb: number,
): Promise<{ pdf: Uint8Array; pages: number }> {
  const outcome = await runWorker<AttachmentJobResult>({
    module: 'attachment-worker',
    data: job,
    timeoutMs,
    resourceLimits: {
      maxOldGenerationSizeMb: maxHeapMb,
      maxYoungGenerationSizeMb: 64,
      stackSizeMb: 8,
    },
  });
  if (outcome.ok) {
    const result = outcome.message;
    if (result.ok) return { pdf: result.pdf, pages: result.pages };
    throw new PdfError(result.code as PdfErrorCode, result.message);
  }
  const failure = outcome.failure;
  switch (failure.kind) {
    case 'timeout':
      throw new PdfError(
        'ConversionTimedOut',
        `the conversion did not finish within ${timeoutMs} ms`,
      );
    case 'out-of-memory':
      throw new PdfError(
        'ConversionOutOfMemory',
        `the conversion went past the memory limit of ${maxHeapMb} MB`,
        failure.error,
      );
    case 'error':
      throw new PdfError(
        'ConverterFailed',
        `the conversion worker failed (${failure.error.message})`,
        failure.error,
      );
    default:
      throw new PdfError('ConverterFailed', `the conversion worker stopped (exit ${failure.code})`);
  }
}

/**
 * One attachment as PDF pages. The type is sniffed from the bytes; the conversion runs in a
 * worker with a heap and a time limit, and whatever goes wrong becomes a placeholder page
 * with the reason, so that no attachment can stop the mail or the daemon.
 */
export async function attachmentToPdf(
  attachment: MailAttachment,
  options: AttachmentPdfOptions = {},
): Promise<AttachmentPdf> {
  const fonts = options.fonts ?? (await loadFontBytes());
  const detectedType: DetectedType = sniffType(attachment.content);
  const workerTimeoutMs = options.timeoutMs ?? 120_000;
  const settings: ConvertSettings = {
    tools: options.tools ?? (await findTools()),
    fonts,
    raster: options.raster ?? DEFAULT_CONVERT_LIMITS.raster,
    maxPages: options.maxPages ?? DEFAULT_CONVERT_LIMITS.maxPages,
    maxTextChars: options.maxTextChars ?? DEFAULT_CONVERT_LIMITS.maxTextChars,
    // A converter (LibreOffice, qpdf) must end before the worker's limit: when the worker
    // is killed first, a converter under its own longer timeout runs on, orphaned.
    toolTimeoutMs: Math.min(
      DEFAULT_CONVERT_LIMITS.toolTimeoutMs,
      Math.max(1_000, workerTimeoutMs - TOOL_MARGIN_MS),
    ),
  };
  try {
    const job: AttachmentJob = { attachment, type: detectedType, settings };
    const converted =
      options.isolate === false
        ? await convertKnownType(attachment, detectedType, settings)
        : await runInWorker(job, workerTimeoutMs, options.maxHeapMb ?? 512);
    return { ...converted, placeholder: null, detectedType };
  } catch (error) {
    const code = pdfErrorCode(error);
    const detail = error instanceof Error ? error.message : String(error);
    const reason = `${REASONS[code] ?? REASONS.ConverterFailed} (${code}: ${detail})`;
    const pdf = await renderPlaceholderPdf(
      {
        filename: attachment.filename,
        detectedType,
        size: attachment.size,
        sha256: attachment.sha256,
        reason,
      },
      fonts,
    );
    return { pdf, pages: 1, placeholder: { reason, code }, detectedType };
  }
}
