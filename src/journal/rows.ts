import type {
  ActionRecord,
  CaseRecord,
  DocumentRecord,
  EventRecord,
  MessageRecord,
} from './records.js';

type Row = Record<string, unknown>;

const str = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);
const num = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

function json<T>(value: unknown, fallback: T): T {
  if (typeof value !== 'string' || value === '') return fallback;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}

export function toMessage(row: Row): MessageRecord {
  return {
    id: Number(row.id),
    locator: {
      account: String(row.account),
      mailbox: String(row.mailbox),
      uidValidity: Number(row.uid_validity),
      uid: String(row.uid),
    },
    sha256: String(row.sha256),
    size: Number(row.size),
    messageId: str(row.message_id),
    receivedAt: String(row.received_at),
    status: row.status as MessageRecord['status'],
    duplicateOf: num(row.duplicate_of),
    subject: str(row.subject),
    sender: str(row.sender),
    sentAt: str(row.sent_at),
    decision: str(row.decision) as MessageRecord['decision'],
    area: str(row.area),
    confidence: num(row.confidence),
    caseNumber: str(row.case_number),
    folder: str(row.folder),
    reasons: json(row.reasons, []),
    automatic: str(row.automatic),
    errorCode: str(row.error_code),
    error: str(row.error),
    shadow: Number(row.shadow) === 1,
    decidedAt: str(row.decided_at),
    doneAt: str(row.done_at),
  };
}

export function toAction(row: Row): ActionRecord {
  return {
    id: Number(row.id),
    messageId: Number(row.message_id),
    kind: row.kind as ActionRecord['kind'],
    target: String(row.target),
    payload: json(row.payload, null),
    idempotencyKey: String(row.idempotency_key),
    status: row.status as ActionRecord['status'],
    attempts: Number(row.attempts),
    nextAttemptAt: String(row.next_attempt_at),
    lastError: str(row.last_error),
    createdAt: String(row.created_at),
    doneAt: str(row.done_at),
  };
}

export function toCase(row: Row): CaseRecord {
  return {
    number: String(row.number),
    area: str(row.area),
    caseworker: str(row.caseworker),
    source: String(row.source),
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  };
}

export function toDocument(row: Row): DocumentRecord {
  return {
    id: Number(row.id),
    caseNumber: str(row.case_number),
    area: str(row.area),
    akt: num(row.akt),
    sub: Number(row.sub),
    kind: row.kind as DocumentRecord['kind'],
    title: String(row.title),
    sender: str(row.sender),
    dated: str(row.dated),
    filename: str(row.filename),
    contentType: str(row.content_type),
    size: Number(row.size),
    sha256: String(row.sha256),
    pdfSha256: str(row.pdf_sha256),
    note: str(row.note),
    messageId: Number(row.message_id),
    createdAt: String(row.created_at),
  };
}

export function toEvent(row: Row): EventRecord {
  return {
    id: Number(row.id),
    at: String(row.at),
    actor: String(row.actor),
    kind: String(row.kind),
    messageId: num(row.message_id),
    caseNumber: str(row.case_number),
    detail: json(row.detail, null),
  };
}
