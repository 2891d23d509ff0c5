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
} from './records.js';

export interface ReceivedInput {
  locator: MailLocator;
  sha256: string;
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
  /** The first mail with these bytes that was not itself a duplicate. */
  findOriginalBySha(sha256: string): MessageRecord | undefined;
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

  // The audit trail.
  addEvent(event: NewEvent & { messageId?: number | null; at: string }): void;
  events(filter: { messageId?: number; caseNumber?: string; limit?: number }): EventRecord[];

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

  stats(): JournalStats;
  close(): void;
}
