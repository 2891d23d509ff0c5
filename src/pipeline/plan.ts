import type { DecisionCommit, NewAction, NewDocument } from '../journal/records.js';
import type { Decision, ExtractedMail, ParsedMail } from '../types.js';

export interface PlanInput {
  messageId: number;
  sha256: string;
  size: number;
  mail: ParsedMail | null;
  extracted: ExtractedMail | null;
  decision: Decision;
  shadow: boolean;
  error: { code: string; message: string } | null;
}

/** Idempotency keys: the same mail and target always give the same key, so a retry never doubles. */
export function moveKey(messageId: number): string {
  return `move:${messageId}`;
}

export function forwardKey(sha256: string, address: string): string {
  return `forward:${sha256}:${address.toLowerCase()}`;
}

function documentsOf(input: PlanInput): NewDocument[] {
  const { mail } = input;
  if (!mail) return [];
  const sender = mail.from
    ? mail.from.name
      ? `${mail.from.name} <${mail.from.address}>`
      : mail.from.address
    : null;
  const letter: NewDocument = {
    kind: 'mail',
    title: mail.subject.trim() || '(intet emne)',
    sender,
    dated: mail.date,
    filename: null,
    contentType: 'message/rfc822',
    size: input.size,
    sha256: input.sha256,
    note: null,
  };
  const attachments: NewDocument[] = mail.attachments
    .filter((attachment) => !attachment.related)
    .map((attachment) => ({
      kind: 'attachment',
      title: attachment.filename,
      sender,
      dated: mail.date,
      filename: attachment.filename,
      contentType: attachment.contentType,
      size: attachment.size,
      sha256: attachment.sha256,
      note: null,
    }));
  return [letter, ...attachments];
}

function actionsOf(input: PlanInput): NewAction[] {
  if (input.shadow) return [];
  const { decision } = input;
  const move: NewAction = {
    kind: 'move',
    target: decision.folder,
    payload: null,
    idempotencyKey: moveKey(input.messageId),
  };
  const forwards: NewAction[] =
    decision.kind === 'route'
      ? decision.forwardTo.map((address) => ({
          kind: 'forward',
          target: address,
          payload: { area: decision.area, caseNumber: decision.caseNumber },
          idempotencyKey: forwardKey(input.sha256, address),
        }))
      : [];
  // Forward before moving: a mail leaves the inbox only when everything else about it is done.
  return [...forwards, move];
}

/** Everything the journal commits for one decided mail, in one transaction. */
export function planCommit(input: PlanInput): DecisionCommit {
  const { mail, decision } = input;
  const quarantined = decision.kind === 'quarantine' && input.error !== null;
  return {
    messageId: input.messageId,
    status: quarantined ? 'quarantined' : 'decided',
    summary: {
      subject: mail?.subject ?? null,
      sender: mail?.from?.address ?? null,
      sentAt: mail?.date ?? null,
      messageIdHeader: mail?.messageId ?? null,
    },
    decision: decision.kind,
    area: decision.area,
    confidence: decision.confidence,
    caseNumber: decision.caseNumber,
    folder: decision.folder,
    reasons: decision.reasons,
    automatic: input.extracted?.automatic ?? null,
    error: input.error,
    shadow: input.shadow,
    ensureCase:
      decision.caseNumber && !quarantined
        ? { number: decision.caseNumber, area: decision.kind === 'route' ? decision.area : null }
        : null,
    documents: quarantined ? [] : documentsOf(input),
    actions: actionsOf(input),
    events: [
      {
        kind: quarantined ? 'quarantined' : input.shadow ? 'decided-shadow' : 'decided',
        caseNumber: decision.caseNumber,
        detail: {
          decision: decision.kind,
          area: decision.area,
          confidence: Math.round(decision.confidence * 1000) / 1000,
          folder: decision.folder,
          reasons: decision.reasons.map((reason) => `${reason.kind}: ${reason.detail}`),
          ...(input.error ? { error: input.error.code } : {}),
        },
      },
    ],
  };
}
