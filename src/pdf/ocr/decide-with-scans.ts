import type { Decision, ParsedMail } from '../../types.js';
import { mayHoldScans } from './attachment-text.js';

/** The attachment text of a mail; with `ocr: false` only what can be read without OCR. */
export type AttachmentTextSource = (mail: ParsedMail, options: { ocr: boolean }) => Promise<string>;

/**
 * Decides a mail with as little waiting for OCR as the decision allows. Text layers and
 * text files are always read (milliseconds). OCR of scans is awaited only when the mail,
 * decided without it, has no case number or would go to a person: a case number found in
 * the subject or body that routes needs nothing from the scan, while a mail without one
 * may carry its only case number on the scanned letter, which also decides which case it
 * is filed on. `evaluate` is the pure extract → classify → decide chain.
 */
export async function decideWithAttachmentText<T extends { decision: Decision }>(
  mail: ParsedMail,
  source: AttachmentTextSource | undefined,
  evaluate: (attachmentText: string) => T,
): Promise<T> {
  const attachments = mail.attachments.filter((attachment) => !attachment.related);
  if (!source || attachments.length === 0) return evaluate('');
  const first = evaluate(await source(mail, { ocr: false }));
  if (!attachments.some(mayHoldScans)) return first;
  if (first.decision.kind === 'route' && first.decision.caseNumber !== null) return first;
  return evaluate(await source(mail, { ocr: true }));
}
