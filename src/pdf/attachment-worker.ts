import { parentPort, workerData } from 'node:worker_threads';
import type { MailAttachment } from '../types.js';
import { convertKnownType, type ConvertSettings } from './convert-attachment.js';
import { PdfError } from './errors.js';
import type { DetectedType } from './sniff.js';

/** What the parent sends: one attachment, its sniffed type and the settings. */
export interface AttachmentJob {
  attachment: MailAttachment;
  type: DetectedType;
  settings: ConvertSettings;
}

export type AttachmentJobResult =
  { ok: true; pdf: Uint8Array; pages: number } | { ok: false; code: string; message: string };

async function main(): Promise<void> {
  const job = workerData as AttachmentJob;
  // Structured clone turns the Buffer into a plain Uint8Array; the converters need a Buffer.
  const attachment = {
    ...job.attachment,
    content: Buffer.from(
      job.attachment.content.buffer,
      job.attachment.content.byteOffset,
      job.attachment.content.byteLength,
    ),
  };
  let result: AttachmentJobResult;
  try {
    const { pdf, pages } = await convertKnownType(attachment, job.type, job.settings);
    result = { ok: true, pdf, pages };
  } catch (error) {
    result = {
      ok: false,
      code: error instanceof PdfError ? error.code : 'ConverterFailed',
      message: error instanceof Error ? error.message : String(error),
    };
  }
  parentPort?.postMessage(result, result.ok ? [result.pdf.buffer as ArrayBuffer] : []);
}

void main();
