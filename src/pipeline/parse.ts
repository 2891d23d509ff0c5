import { createHash } from 'node:crypto';
import { convert } from 'html-to-text';
import { simpleParser, type AddressObject, type ParsedMail as MailparserMail } from 'mailparser';
import { MailRejectedError } from '../errors.js';
import type { MailAddress, MailAttachment, ParsedMail } from '../types.js';
import { cleanFilename } from './filename.js';

export interface ParseLimits {
  /** Largest raw mail accepted, in bytes. */
  maxMessageBytes: number;
  /** Most MIME attachments accepted in one mail. */
  maxAttachments: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  maxMessageBytes: 40 * 1024 * 1024,
  maxAttachments: 100,
};

const HEADER_LINE = /^[A-Za-z][A-Za-z0-9-]*:[ \t]?/;

/** A mail must start with header lines; anything else (binary, a truncated blob) is refused. */
function looksLikeMail(raw: Buffer): boolean {
  const head = raw.subarray(0, 64 * 1024).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const headerBlock = end >= 0 ? head.slice(0, end) : head;
  if (headerBlock.includes('\u0000')) return false;
  const lines = headerBlock.split(/\r?\n/).filter((line) => line !== '');
  if (lines.length === 0) return false;
  const firstReal = lines.find((line) => !line.startsWith('From ')) ?? '';
  if (!HEADER_LINE.test(firstReal)) return false;
  return /^(from|date|subject|message-id|to|received|return-path|mime-version):/im.test(
    headerBlock,
  );
}

function addresses(value: AddressObject | AddressObject[] | undefined): MailAddress[] {
  if (!value) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.flatMap((group) =>
    group.value.flatMap((entry) =>
      entry.group
        ? entry.group.map((member) => ({
            name: member.name ?? '',
            address: (member.address ?? '').toLowerCase(),
          }))
        : [{ name: entry.name ?? '', address: (entry.address ?? '').toLowerCase() }],
    ),
  );
}

function headerText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(headerText).join(', ');
  if (typeof value === 'object') {
    const record = value as { text?: string; value?: unknown; params?: Record<string, string> };
    if (typeof record.text === 'string') return record.text;
    if (record.value !== undefined) {
      const params = record.params
        ? Object.entries(record.params)
            .map(([k, v]) => `; ${k}=${v}`)
            .join('')
        : '';
      return headerText(record.value) + params;
    }
  }
  return String(value);
}

function toAttachments(mail: MailparserMail): MailAttachment[] {
  return mail.attachments.map((attachment, index) => ({
    filename: cleanFilename(attachment.filename, `vedhaeftning-${index + 1}`),
    contentType: (attachment.contentType || 'application/octet-stream').toLowerCase(),
    size: attachment.size ?? attachment.content.length,
    sha256: createHash('sha256').update(attachment.content).digest('hex'),
    content: attachment.content,
    related: attachment.related === true,
    ...(attachment.cid ? { contentId: attachment.cid } : {}),
  }));
}

/**
 * A single-part 8-bit text mail without a declared charset is, in Danish mail, almost
 * always Windows-1252/Latin-1 from an old client; read as UTF-8 its æøå become U+FFFD.
 * Only then is the body decoded again as Windows-1252.
 */
function repairUndeclaredCharset(
  raw: Buffer,
  headers: Record<string, string>,
  text: string,
): string {
  if (!text.includes('\uFFFD')) return text;
  const contentType = (headers['content-type'] ?? 'text/plain').toLowerCase();
  if (!contentType.startsWith('text/plain') || contentType.includes('charset=')) return text;
  const encoding = (headers['content-transfer-encoding'] ?? '8bit').toLowerCase();
  if (encoding !== '8bit' && encoding !== '7bit' && encoding !== 'binary') return text;
  const split =
    raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') + 4 : raw.indexOf('\n\n') + 2;
  if (split < 2) return text;
  return new TextDecoder('windows-1252').decode(raw.subarray(split)).replace(/\r\n/g, '\n');
}

/** The plain text of a mail: its text part, or its HTML turned into text (no links, no images). */
function bodyText(raw: Buffer, headers: Record<string, string>, mail: MailparserMail): string {
  const text = mail.text ?? '';
  if (text.trim() !== '' || typeof mail.html !== 'string')
    return repairUndeclaredCharset(raw, headers, text);
  return convert(mail.html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
    ],
  });
}

/** Parses raw bytes into a ParsedMail; refuses what is too large, too many parts, or not a mail. */
export async function parseMail(
  raw: Buffer,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): Promise<ParsedMail> {
  if (raw.length > limits.maxMessageBytes) {
    throw new MailRejectedError(
      'MailTooLarge',
      `mail is ${raw.length} bytes, above the limit of ${limits.maxMessageBytes} (limits.maxMessageBytes)`,
    );
  }
  if (!looksLikeMail(raw)) {
    throw new MailRejectedError(
      'MailUnparseable',
      'no mail header block found at the start of the file',
    );
  }
  let mail: MailparserMail;
  try {
    mail = await simpleParser(raw, {
      skipImageLinks: true,
      skipTextToHtml: true,
      maxHtmlLengthToParse: 5 * 1024 * 1024,
    });
  } catch (error) {
    throw new MailRejectedError('MailUnparseable', 'mailparser could not read the mail', error);
  }
  if (mail.attachments.length > limits.maxAttachments) {
    throw new MailRejectedError(
      'MailTooManyParts',
      `mail has ${mail.attachments.length} attachments, above the limit of ${limits.maxAttachments} (limits.maxAttachments)`,
    );
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of mail.headers) headers[name.toLowerCase()] = headerText(value);
  const from = addresses(mail.from)[0] ?? null;
  const references = Array.isArray(mail.references)
    ? mail.references
    : mail.references
      ? [mail.references]
      : [];
  return {
    messageId: mail.messageId ?? null,
    subject: mail.subject ?? '',
    from,
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : null,
    inReplyTo: mail.inReplyTo ?? null,
    references,
    text: bodyText(raw, headers, mail),
    html: typeof mail.html === 'string' ? mail.html : null,
    attachments: toAttachments(mail),
    headers,
    contentType: headers['content-type'] ?? 'text/plain',
  };
}
