import type { MailLocator } from '../types.js';
import type {
  ActionRecord,
  CaseRecord,
  DecisionCommit,
  DocumentRecord,
  EventRecord,
  JournalStats,
  MessageRecord,
  NewEvent,
  OpsCounts,
  QueuedNotice,
} from './records.js';

export interface ReceivedInput {
  locator: MailLocator;
  sha256: string;
  /** sha256 without the delivery trace headers: equal for the same mail delivered twice. */
  contentKey?: string;
  size: number;
  receivedAt: string;
}

/**
 * The one interface through which the pipeline reads and writes state. The stages
 * never touch SQLite directly, so that another backend (PostgreSQL, several daemons on
 * one inbox) can be put behind it.
 */
export interface Journal {
  // The ledger.
  findByLocator(locator: MailLocator): MessageRecord | undefined;
  getMessage(id: number): MessageRecord | undefined;
  /** The first mail with these bytes (or this content key) that was not itself a duplicate. */
  findOriginalBySha(sha256: string, contentKey?: string): MessageRecord | undefined;
  findByMessageIdHeader(messageIds: string[]): MessageRecord[];
  /** Commits the ledger row; a known sha256 at another place is recorded as a duplicate. */
  recordReceived(input: ReceivedInput, duplicateOf: MessageRecord | null): MessageRecord;
  commitDecision(commit: DecisionCommit): MessageRecord;
  markDone(messageId: number, at: string): void;
  listMessages(filter: {
    status?: string;
    caseNumber?: string;
    limit?: number;
    since?: string;
  }): MessageRecord[];
  /** Mails that were received but never decided (a crash between intake and decision). */
  undecided(): MessageRecord[];

  // The outbox.
  dueActions(now: string, limit: number): ActionRecord[];
  actionsFor(messageId: number): ActionRecord[];
  addActions(messageId: number, actions: DecisionCommit['actions'], now: string): void;
  completeAction(id: number, at: string): void;
  retryAction(id: number, error: string, nextAttemptAt: string): void;
  failAction(id: number, error: string): void;

  // Cases and documents.
  getCase(number: string): CaseRecord | undefined;
  upsertCase(
    record: { number: string; area: string | null; caseworker: string | null; source: string },
    at: string,
  ): void;
  listCases(): (CaseRecord & { documents: number; lastDocumentAt: string | null })[];
  caseDocuments(number: string): DocumentRecord[];
  messageDocuments(messageId: number): DocumentRecord[];
  newPost(area: string | null): DocumentRecord[];
  /** Records the PDF rendering of a document (blob sha256) and, for a placeholder, why. */
  setDocumentPdf(documentId: number, pdfSha256: string, note: string | null): void;
  /**
   * Files a mail that waits as new post on a case: its documents get the case's next akt
   * number (n, n.1, n.2 …). Nothing already numbered is renumbered; a mail already on the
   * case is left as it is, and one on another case is refused.
   */
  attachToCase(messageId: number, caseNumber: string, at: string, actor: string): DocumentRecord[];

  // The audit trail.
  addEvent(event: NewEvent & { messageId?: number | null; at: string }): void;
  events(filter: { messageId?: number; caseNumber?: string; limit?: number }): EventRecord[];

  // Operations (src/ops): cursors, counts, the CPR look-up index, retention.
  cursor(name: string): number;
  setCursor(name: string, value: number, at: string): void;
  documentsAfter(afterId: number, limit: number): DocumentRecord[];
  /** Queues notices in the outbox and moves the cursor past their documents, in one transaction. */
  queueNotices(cursor: { name: string; value: number }, notices: QueuedNotice[], at: string): void;
  eventsAfter(afterId: number, kinds: string[], limit: number): EventRecord[];
  actionsCreatedSince(since: string): ActionRecord[];
  opsCounts(): OpsCounts;
  addCprHashes(messageId: number, hashes: string[], at: string): void;
  messagesWithCprHash(hash: string): number[];
  /** Raw mail received before `before` still in the store; `shared`: a kept mail has the same bytes. */
  expiredRawMail(before: string, limit: number): { id: number; sha256: string; shared: boolean }[];
  markRawMailDeleted(ids: number[], at: string): void;
  /** Documents of cases quiet since `before`, and new post older than it; `shared`: a kept document has the same file. */
  expiredDocuments(
    before: string,
    limit: number,
  ): (DocumentRecord & { shared: boolean; pdfShared: boolean })[];
  deleteDocuments(ids: number[]): void;
  deleteEventsBefore(before: string): { events: number; cprIndex: number };

  // Learning from people.
  addTrainingExample(
    example: {
      messageId: number | null;
      sha256: string;
      area: string;
      source: string;
      confirmedBy: string | null;
    },
    at: string,
  ): boolean;
  listTrainingExamples(): { sha256: string; area: string; source: string; at: string }[];

  /** A forward was refused for good: the mail goes to quarantine with the reply instead. */
  quarantineMessage(
    messageId: number,
    folder: string,
    error: { code: string; message: string },
    at: string,
  ): void;

  // What the source saw last (to notice a UIDVALIDITY change).
  lastUidValidity(account: string, mailbox: string): number | null;
  saveUidValidity(account: string, mailbox: string, uidValidity: number, at: string): void;

  /**
   * Group commit: everything between begin and commit is one transaction (one fsync). The
   * daemon wraps a chunk of mails in it and acts on them only after the commit.
   */
  beginBatch(): void;
  commitBatch(): void;
  rollbackBatch(): void;
  /** Inside a batch: commit what is there and go on in a new transaction (after a forward). */
  checkpoint(): void;

  stats(): JournalStats;
  close(): void;
}
