import { PDFDocument } from 'pdf-lib';
import { DOCUMENT_SAVE } from './save-options.js';
import type { MailAddress, MailAttachment, ParsedMail } from '../types.js';
import { embedFonts, loadFontBytes, type FontBytes } from './fonts.js';
import { htmlToBlocks } from './html-blocks.js';
import { PageWriter } from './page-writer.js';
import { rasterPages, DEFAULT_RASTER_LIMITS, type RasterLimits } from './raster.js';
import { sniffType, isImage } from './sniff.js';

export interface MailPdfOptions {
  /** Fonts read once by a caller that renders many mails; read from disk when absent. */
  fonts?: FontBytes;
  /** Time zone for the Dato line; the authority's own by default. */
  timeZone?: string;
  /** Longest body rendered, in characters; the rest is cut with a note. Default 400,000. */
  maxBodyChars?: number;
  rasterLimits?: RasterLimits;
}

function formatAddress(address: MailAddress): string {
  if (!address.name) return address.address;
  return address.address ? `${address.name} <${address.address}>` : address.name;
}

/** One formatter per time zone: making one took 0.7 ms, more than the rest of the header. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function formatDate(iso: string | null, timeZone: string): string {
  if (!iso) return '(ingen dato)';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('da-DK', { dateStyle: 'long', timeStyle: 'short', timeZone });
    dateFormats.set(timeZone, format);
  }
  return format.format(date);
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** HTML is used when there is no plain text, or when it carries images the text would lose. */
function useHtml(mail: ParsedMail): boolean {
  if (mail.html === null || mail.html.trim() === '') return false;
  if (mail.text.trim() === '') return true;
  if (/^text\/html/i.test(mail.contentType)) return true;
  return /<img\b/i.test(mail.html);
}

async function drawInlineImage(
  writer: PageWriter,
  attachment: MailAttachment | undefined,
  alt: string,
  limits: RasterLimits,
): Promise<void> {
  if (!attachment) {
    writer.notice(`[Indlejret billede mangler i mailen${alt ? `: ${alt}` : ''}]`);
    return;
  }
  const type = sniffType(attachment.content);
  try {
    if (!isImage(type)) throw new Error(`not an image (${type})`);
    const [page] = await rasterPages(attachment.content, type, { ...limits, maxPages: 1 });
    if (!page) throw new Error('no image');
    writer.image(await writer.doc.embedJpg(page.jpeg));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    writer.notice(`[Indlejret billede ${attachment.filename} kunne ikke vises: ${reason}]`);
  }
}

async function drawBody(
  writer: PageWriter,
  mail: ParsedMail,
  maxChars: number,
  limits: RasterLimits,
): Promise<void> {
  if (!useHtml(mail)) {
    const text =
      mail.text.length > maxChars
        ? `${mail.text.slice(0, maxChars)}\n\n[… teksten er afkortet]`
        : mail.text;
    writer.paragraph(text.trim() === '' ? '(ingen tekst)' : text);
    return;
  }
  const byCid = new Map(
    mail.attachments.filter((a) => a.contentId).map((a) => [a.contentId!.replace(/^<|>$/g, ''), a]),
  );
  let budget = maxChars;
  for (const block of htmlToBlocks(mail.html!)) {
    if (block.kind === 'text') {
      if (budget <= 0) continue;
      const text = block.text.slice(0, budget);
      budget -= text.length;
      writer.paragraph(budget <= 0 ? `${text}\n[… teksten er afkortet]` : text, {
        font: block.heading ? 'bold' : 'regular',
        after: 5,
      });
    } else if (block.kind === 'inline-image') {
      await drawInlineImage(writer, byCid.get(block.contentId), block.alt, limits);
    } else {
      writer.notice(
        `[Eksternt billede er ikke hentet: ${block.src}${block.alt ? ` – "${block.alt}"` : ''}]`,
      );
    }
  }
}

/**
 * Renders a mail as an A4 PDF: a header block (Fra, Til, Cc, Dato, Emne, Vedhæftede
 * filer), the body wrapped over as many pages as it needs, and page numbers. Nothing is
 * fetched from the network and no script in an HTML body runs.
 */
export async function renderMailPdf(
  mail: ParsedMail,
  options: MailPdfOptions = {},
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(mail.subject || '(intet emne)');
  doc.setProducer('postrobot');
  doc.setCreator('postrobot');
  const fonts = await embedFonts(doc, options.fonts ?? (await loadFontBytes()));
  const writer = new PageWriter(doc, fonts);
  const timeZone = options.timeZone ?? 'Europe/Copenhagen';
  writer.paragraph(mail.subject || '(intet emne)', { font: 'bold', size: 14, after: 6 });
  writer.field('Fra:', mail.from ? formatAddress(mail.from) : '(ukendt afsender)');
  writer.field('Til:', mail.to.map(formatAddress).join(', ') || '–');
  if (mail.cc.length > 0) writer.field('Cc:', mail.cc.map(formatAddress).join(', '));
  writer.field('Dato:', formatDate(mail.date, timeZone));
  writer.field('Emne:', mail.subject || '(intet emne)');
  const files = mail.attachments.filter((a) => !a.related);
  if (files.length > 0)
    writer.field(
      'Vedhæftede filer:',
      files.map((a) => `${a.filename} (${formatSize(a.size)})`).join('\n'),
    );
  writer.rule();
  writer.space(4);
  await drawBody(
    writer,
    mail,
    options.maxBodyChars ?? 400_000,
    options.rasterLimits ?? DEFAULT_RASTER_LIMITS,
  );
  writer.numberPages();
  return doc.save(DOCUMENT_SAVE);
}
