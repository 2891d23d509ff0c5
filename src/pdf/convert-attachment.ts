import type { MailAttachment } from '../types.js';
import { pdfToPdf } from './convert-pdf.js';
import { PdfError } from './errors.js';
import type { FontBytes } from './fonts.js';
import { DEFAULT_RASTER_LIMITS, type RasterLimits } from './raster.js';
import { isImage, isOffice, type DetectedType } from './sniff.js';
import type { ExternalTools } from './tools.js';

/** What one attachment became: pages to put in the case, or a placeholder saying why not. */
export interface AttachmentPdf {
  pdf: Uint8Array;
  pages: number;
  placeholder: null | { reason: string; code: string };
  detectedType: string;
}

export interface ConvertSettings {
  tools: ExternalTools;
  fonts: FontBytes;
  raster: RasterLimits;
  /** Most pages taken from one PDF attachment. */
  maxPages: number;
  /** Most characters shown of a text file. */
  maxTextChars: number;
  /** Time allowed for one external program (qpdf, LibreOffice). */
  toolTimeoutMs: number;
}

export const DEFAULT_CONVERT_LIMITS = {
  raster: DEFAULT_RASTER_LIMITS,
  maxPages: 2000,
  maxTextChars: 500_000,
  toolTimeoutMs: 120_000,
};

const OFFICE_EXTENSION: Partial<Record<DetectedType, string>> = {
  docx: 'docx',
  xlsx: 'xlsx',
  pptx: 'pptx',
  odt: 'odt',
  ods: 'ods',
  odp: 'odp',
  ole: 'doc',
};

/**
 * Converts one attachment in this thread; throws a PdfError for anything that cannot be
 * shown. Callers use attachmentToPdf, which runs this in a worker with limits.
 */
// Each converter is imported when its type comes up: a worker converts one attachment,
// and loading mailparser, sharp and fontkit for a plain PDF doubled its start-up time.
export async function convertKnownType(
  attachment: MailAttachment,
  type: DetectedType,
  settings: ConvertSettings,
): Promise<{ pdf: Uint8Array; pages: number }> {
  const bytes = attachment.content;
  if (type === 'pdf')
    return pdfToPdf(bytes, {
      qpdf: settings.tools.qpdf,
      maxPages: settings.maxPages,
      timeoutMs: settings.toolTimeoutMs,
    });
  if (isImage(type))
    return (await import('./convert-image.js')).imageToPdf(bytes, type, settings.raster);
  if (type === 'text')
    return (await import('./convert-text.js')).textToPdf(
      bytes,
      attachment.filename,
      settings.fonts,
      settings.maxTextChars,
    );
  if (type === 'zip')
    return (await import('./convert-text.js')).zipToPdf(bytes, attachment.filename, settings.fonts);
  if (type === 'rfc822') {
    // A forwarded mail is shown like a mail; its own attachments are listed, not expanded.
    const [{ parseMail }, { renderMailPdf }] = await Promise.all([
      import('../pipeline/parse.js'),
      import('./mail-pdf.js'),
    ]);
    const pdf = await renderMailPdf(await parseMail(Buffer.from(bytes)), {
      fonts: settings.fonts,
      rasterLimits: settings.raster,
    });
    return pdfToPdf(pdf, {
      qpdf: null,
      maxPages: settings.maxPages,
      timeoutMs: settings.toolTimeoutMs,
    });
  }
  if (isOffice(type)) {
    const { officeToPdf } = await import('./convert-office.js');
    const pdf = await officeToPdf(
      bytes,
      OFFICE_EXTENSION[type] ?? 'bin',
      settings.tools.soffice,
      settings.toolTimeoutMs,
    );
    return pdfToPdf(pdf, {
      qpdf: settings.tools.qpdf,
      maxPages: settings.maxPages,
      timeoutMs: settings.toolTimeoutMs,
    });
  }
  if (type === 'empty') throw new PdfError('UnsupportedType', 'the file is empty');
  throw new PdfError('UnsupportedType', 'the file type cannot be shown as pages');
}
