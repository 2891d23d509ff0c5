import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { describeError, UsageError } from '../errors.js';
import type { BlobStore } from '../journal/blob-store.js';
import { writeFileAtomic } from '../journal/blob-store.js';
import type { Journal } from '../journal/journal.js';
import { findCprNumbers } from '../log/cpr.js';
import { extractMail } from '../pipeline/extract.js';
import { parseMail, type ParseLimits } from '../pipeline/parse.js';
import type { CaseNumberPattern } from '../pipeline/case-numbers.js';

export const CPR_INDEX_CURSOR = 'cpr-index';
const BATCH = 200;

/**
 * The key of the CPR look-up index, made once per data directory (0600). Without it the
 * stored hashes cannot be tested against guessed numbers: there are only ~10^9 CPR
 * numbers, so a plain hash would be no protection at all.
 */
export function indexKey(dataDir: string): Buffer {
  const file = join(dataDir, 'cpr-index.key');
  if (!existsSync(file)) writeFileAtomic(file, randomBytes(32));
  return readFileSync(file);
}

/** Ten digits, or null: "010203-1234", "010203 1234" and "0102031234" are the same number. */
export function normaliseCpr(value: string): string | null {
  const digits = value.replace(/[\s-]/g, '');
  return /^\d{10}$/.test(digits) ? digits : null;
}

export function cprHash(key: Buffer, cpr: string): string {
  return createHmac('sha256', key).update(cpr).digest('hex');
}

/** Keyed hashes of the CPR numbers in some text; the numbers themselves go no further. Pure. */
export function cprHashes(key: Buffer, text: string): string[] {
  const hashes = new Set<string>();
  for (const found of findCprNumbers(text)) {
    const cpr = normaliseCpr(found);
    if (cpr) hashes.add(cprHash(key, cpr));
  }
  return [...hashes];
}

export interface IndexDeps {
  journal: Journal;
  blobs: BlobStore;
  key: Buffer;
  limits: ParseLimits;
  caseNumberPatterns: CaseNumberPattern[];
  log: Logger;
}

/** The text of a stored mail in which a CPR number can stand: subject, body, attachments' text and names. */
async function searchableText(raw: Buffer, deps: IndexDeps): Promise<string> {
  try {
    const mail = await parseMail(raw, deps.limits);
    const extracted = extractMail(mail, {
      caseNumberPatterns: deps.caseNumberPatterns,
      ownMarkerHeader: 'X-Postrobot-Forward',
    });
    const textParts = mail.attachments
      .filter((a) => a.contentType.startsWith('text/'))
      .map((a) => a.content.toString('utf8'));
    return [
      mail.subject,
      mail.text,
      mail.html ?? '',
      extracted.attachmentText,
      ...extracted.attachmentNames,
      ...textParts,
    ].join('\n');
  } catch {
    // Unparseable (quarantined) mail is still searched, as the bytes it is.
    return raw.toString('latin1');
  }
}

/**
 * Brings the CPR index up to date: every mail received since the last run is read from
 * the store and its CPR numbers are recorded as keyed hashes. Returns how many mails were read.
 */
export async function updateCprIndex(
  deps: IndexDeps,
  now: () => Date = () => new Date(),
): Promise<number> {
  const { journal } = deps;
  let cursor = journal.cursor(CPR_INDEX_CURSOR);
  let read = 0;
  // The audit trail's "received" events list every mail once, in order: a stable cursor.
  for (;;) {
    const events = journal.eventsAfter(cursor, ['received', 'received-duplicate'], BATCH);
    for (const event of events) {
      cursor = event.id;
      const message = event.messageId === null ? undefined : journal.getMessage(event.messageId);
      if (!message || !deps.blobs.has(message.sha256, 'eml')) continue;
      try {
        const text = await searchableText(deps.blobs.read(message.sha256, 'eml'), deps);
        const hashes = cprHashes(deps.key, text);
        if (hashes.length > 0) journal.addCprHashes(message.id, hashes, message.receivedAt);
      } catch (error) {
        deps.log.warn(
          { event: 'cpr-index-failed', messageId: message.id, err: describeError(error) },
          'a mail could not be indexed',
        );
      }
      read += 1;
    }
    if (events.length > 0) journal.setCursor(CPR_INDEX_CURSOR, cursor, now().toISOString());
    if (events.length < BATCH) return read;
  }
}

/** Message ids of the mails that mention a CPR number; the number is only hashed. */
export function messagesMentioning(journal: Journal, key: Buffer, value: string): number[] {
  const cpr = normaliseCpr(value);
  if (!cpr) throw new UsageError('that is not a CPR number; write it as ddmmåå-xxxx');
  return journal.messagesWithCprHash(cprHash(key, cpr));
}
