import type { DecisionKind, MailLocator, Reason } from '../types.js';

export type MessageStatus = 'received' | 'decided' | 'done' | 'quarantined' | 'duplicate';
export type ActionKind = 'move' | 'forward' | 'notify';
export type ActionStatus = 'pending' | 'done' | 'failed';

/** A row of the ledger: one per mail seen at one place (account, mailbox, UIDVALIDITY, UID). */
export interface MessageRecord {
  id: number;
  locator: MailLocator;
  sha256: string;
  size: number;
  messageId: string | null;
  receivedAt: string;
  status: MessageStatus;
  duplicateOf: number | null;
  subject: string | null;
  sender: string | null;
  sentAt: string | null;
  decision: DecisionKind | null;
  area: string | null;
  confidence: number | null;
  caseNumber: string | null;
  folder: string | null;
  reasons: Reason[];
  automatic: string | null;
  errorCode: string | null;
  error: string | null;
  shadow: boolean;
  decidedAt: string | null;
  doneAt: string | null;
}

/** A side effect waiting in the outbox, done after the ledger commit and marked done after. */
export interface ActionRecord {
  id: number;
  messageId: number;
  kind: ActionKind;
  target: string;
  payload: Record<string, unknown> | null;
  idempotencyKey: string;
  status: ActionStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  doneAt: string | null;
}

export interface CaseRecord {
  number: string;
  area: string | null;
  caseworker: string | null;
  source: string;
  createdAt: string;
  updatedAt: string;
}

/** A document ("akt") on a case, or new post in an area when caseNumber is null. */
export interface DocumentRecord {
  id: number;
  caseNumber: string | null;
  area: string | null;
  akt: number | null;
  sub: number;
  kind: 'mail' | 'attachment';
  title: string;
  sender: string | null;
  dated: string | null;
  filename: string | null;
  contentType: string | null;
  size: number;
  sha256: string;
  pdfSha256: string | null;
  note: string | null;
  messageId: number;
  createdAt: string;
}

export interface EventRecord {
  id: number;
  at: string;
  actor: string;
  kind: string;
  messageId: number | null;
  caseNumber: string | null;
  detail: Record<string, unknown> | null;
}

/** What the pipeline asks the journal to commit, in one transaction, for a decided mail. */
export interface DecisionCommit {
  messageId: number;
  status: 'decided' | 'quarantined';
  summary: {
    subject: string | null;
    sender: string | null;
    sentAt: string | null;
    messageIdHeader: string | null;
  };
  decision: DecisionKind;
  area: string | null;
  confidence: number;
  caseNumber: string | null;
  folder: string;
  reasons: Reason[];
  automatic: string | null;
  error: { code: string; message: string } | null;
  shadow: boolean;
  /** Create the case when it is not known yet (area from the decision). */
  ensureCase: { number: string; area: string | null } | null;
  documents: NewDocument[];
  actions: NewAction[];
  events: NewEvent[];
}

export interface NewDocument {
  kind: 'mail' | 'attachment';
  title: string;
  sender: string | null;
  dated: string | null;
  filename: string | null;
  contentType: string | null;
  size: number;
  sha256: string;
  note: string | null;
}

export interface NewAction {
  kind: ActionKind;
  target: string;
  payload: Record<string, unknown> | null;
  idempotencyKey: string;
}

export interface NewEvent {
  kind: string;
  actor?: string;
  caseNumber?: string | null;
  detail?: Record<string, unknown>;
}

export interface JournalStats {
  byStatus: Record<string, number>;
  byDecision: Record<string, number>;
  routedByArea: Record<string, number>;
  pendingActions: number;
  failedActions: number;
  cases: number;
  documents: number;
  lastReceivedAt: string | null;
}

/** A caseworker notice to queue: an outbox action on the newest mail of the batch. */
export interface QueuedNotice {
  messageId: number;
  caseNumber: string;
  action: NewAction;
}

/** Counts for the metrics endpoint, read at each scrape. */
export interface OpsCounts {
  decisions: { decision: string; area: string | null; shadow: boolean; count: number }[];
  actions: { kind: string; status: string; count: number; attempts: number }[];
}
