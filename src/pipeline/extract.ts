import { countCprNumbers } from '../log/cpr.js';
import type {
  AutomaticKind,
  CaseNumberHit,
  ClassifierInput,
  ExtractedMail,
  ParsedMail,
} from '../types.js';
import { findCaseNumbers, type CaseNumberPattern } from './case-numbers.js';
import { splitQuoted } from './quoted.js';

export interface ExtractOptions {
  caseNumberPatterns: CaseNumberPattern[];
  /** Header that marks our own forwards; a mail carrying it is never forwarded again. */
  ownMarkerHeader: string;
}

const AUTO_REPLY_SUBJECT =
  /^\s*(fraværende|fravaerende|automatisk svar|autosvar|auto:|out of office|automatic reply|autoreply|abwesenheitsnotiz)/i;

/** RFC 3834 and the de-facto headers that mark automatic mail, in order of strength. */
export function detectAutomatic(mail: ParsedMail, ownMarkerHeader: string): AutomaticKind | null {
  const h = mail.headers;
  if (h[ownMarkerHeader.toLowerCase()] !== undefined) return 'own-forward';
  const contentType = mail.contentType.toLowerCase();
  const returnPath = (h['return-path'] ?? '').trim();
  const fromAddress = mail.from?.address ?? '';
  if (
    contentType.startsWith('multipart/report') &&
    /delivery-status|disposition-notification/.test(contentType)
  )
    return 'bounce';
  if (
    /^<?\s*>?$/.test(returnPath) &&
    returnPath !== '' &&
    /^(mailer-daemon|postmaster)@/i.test(fromAddress)
  )
    return 'bounce';
  if (/^(mailer-daemon|postmaster)@/i.test(fromAddress)) return 'bounce';
  const autoSubmitted = (h['auto-submitted'] ?? '').trim().toLowerCase();
  if (autoSubmitted !== '' && autoSubmitted !== 'no') return 'auto-reply';
  if (
    h['x-autoreply'] !== undefined ||
    h['x-autorespond'] !== undefined ||
    h['x-autoresponse'] !== undefined
  )
    return 'auto-reply';
  if (AUTO_REPLY_SUBJECT.test(mail.subject)) return 'auto-reply';
  const precedence = (h['precedence'] ?? '').trim().toLowerCase();
  if (precedence === 'bulk' || precedence === 'list' || precedence === 'junk') return 'bulk';
  if (h['list-id'] !== undefined || h['list-unsubscribe'] !== undefined) return 'bulk';
  if (/^<\s*>$/.test(returnPath)) return 'bounce';
  return null;
}

function senderDomain(address: string | null): string | null {
  if (!address || !address.includes('@')) return null;
  return address.split('@').pop()?.toLowerCase() ?? null;
}

/** Text, case numbers and automatic-mail signs of a parsed mail. Pure: no I/O. */
export function extractMail(
  mail: ParsedMail,
  options: ExtractOptions,
  attachmentText = '',
): ExtractedMail {
  const { newText, quoted } = splitQuoted(mail.text);
  const patterns = options.caseNumberPatterns;
  const hits: CaseNumberHit[] = [
    ...findCaseNumbers(mail.subject, patterns, 'subject'),
    ...findCaseNumbers(newText, patterns, 'body'),
    ...findCaseNumbers(quoted, patterns, 'quoted'),
    ...findCaseNumbers(attachmentText, patterns, 'attachment'),
  ];
  const seen = new Set<string>();
  const caseNumbers = hits.filter((hit) =>
    seen.has(hit.caseNumber) ? false : (seen.add(hit.caseNumber), true),
  );
  const senderAddress = mail.from?.address || null;
  return {
    bodyText: newText,
    quotedText: quoted,
    attachmentText,
    attachmentNames: mail.attachments.filter((a) => !a.related).map((a) => a.filename),
    senderAddress,
    senderDomain: senderDomain(senderAddress),
    caseNumbers,
    automatic: detectAutomatic(mail, options.ownMarkerHeader),
    cprCount: countCprNumbers(`${mail.subject}\n${mail.text}`),
  };
}

/** What the classifier reads of a mail. */
export function toClassifierInput(mail: ParsedMail, extracted: ExtractedMail): ClassifierInput {
  return {
    subject: mail.subject,
    bodyText: extracted.bodyText,
    attachmentNames: extracted.attachmentNames,
    attachmentText: extracted.attachmentText,
    senderDomain: extracted.senderDomain,
  };
}
