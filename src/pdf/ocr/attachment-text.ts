import sharp from 'sharp';
import type { Logger } from 'pino';
import type { MailAttachment, ParsedMail } from '../../types.js';
import { isImage, sniffType } from '../sniff.js';
import type { OcrConfig } from './options.js';
import { PageReader, type Budget } from './page-reader.js';

/** Images smaller than this are logos and signatures, not letters: not worth a worker. */
const MIN_LETTER_PIXELS = 300 * 300;
const MAX_TEXT_FILE_CHARS = 200_000;

export interface AttachmentTextOptions {
  /** Read scans with OCR; false reads only text layers and text files (cheap, no waiting). */
  ocr: boolean;
}

export interface AttachmentTextResult {
  text: string;
  /** Pages read by OCR for this mail. */
  ocrPages: number;
  /** Attachments that hold scans: images, or PDF pages without a text layer. */
  scans: number;
}

/** Whether an attachment may hold a scan: the case for images and every PDF. */
export function mayHoldScans(attachment: MailAttachment): boolean {
  if (attachment.related) return false;
  const type = sniffType(attachment.content);
  return type === 'pdf' || isImage(type);
}

/**
 * The text of a mail's attachments for case-number extraction and the classifier: text
 * files and PDF text layers always; scanned images and image-only PDF pages by OCR when
 * asked. An attachment that cannot be read adds nothing; it never fails the mail.
 */
export class AttachmentTextReader {
  readonly pages: PageReader;

  constructor(
    readonly config: OcrConfig,
    private readonly log?: Logger,
  ) {
    this.pages = new PageReader(config, log);
  }

  async read(mail: ParsedMail, options: AttachmentTextOptions): Promise<AttachmentTextResult> {
    const budget: Budget = { deadline: Date.now() + this.config.mailBudgetSeconds * 1000 };
    const ocr = options.ocr && this.config.enabled;
    const parts: string[] = [];
    let ocrPages = 0;
    let scans = 0;
    for (const attachment of mail.attachments) {
      if (attachment.related) continue;
      const type = sniffType(attachment.content);
      try {
        if (type === 'text') {
          parts.push(
            Buffer.from(attachment.content).toString('utf8').slice(0, MAX_TEXT_FILE_CHARS),
          );
        } else if (type === 'pdf') {
          const pages = await this.pages.readPdf(attachment.content, { ocr, budget });
          if (pages.some((page) => page.source !== 'text-layer')) scans += 1;
          ocrPages += pages.filter((page) => page.source === 'ocr').length;
          parts.push(pages.map((page) => page.text).join('\n'));
        } else if (isImage(type)) {
          const meta = await sharp(attachment.content, {
            limitInputPixels: this.config.maxPixels * 8,
          }).metadata();
          if ((meta.width ?? 0) * (meta.height ?? 0) < MIN_LETTER_PIXELS) continue;
          scans += 1;
          if (!ocr) continue;
          const texts = await this.pages.readImage(
            attachment.content,
            type,
            meta.pages ?? 1,
            budget,
          );
          ocrPages += texts.filter(Boolean).length;
          parts.push(texts.join('\n'));
        }
      } catch (error) {
        this.log?.warn(
          {
            event: 'attachment-text-failed',
            type,
            code: (error as { code?: string }).code,
            err: error,
          },
          'attachment text not read',
        );
      }
    }
    return { text: parts.filter((part) => part.trim()).join('\n\n'), ocrPages, scans };
  }

  close(): Promise<void> {
    return this.pages.close();
  }
}
