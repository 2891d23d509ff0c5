import { createHash } from 'node:crypto';
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
    text: mail.text ?? '',
    html: typeof mail.html === 'string' ? mail.html : null,
    attachments: toAttachments(mail),
    headers,
    contentType: headers['content-type'] ?? 'text/plain',
  };
}
