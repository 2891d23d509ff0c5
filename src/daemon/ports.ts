import type { ActionRecord, MessageRecord } from '../journal/records.js';
import type { MailLocator } from '../types.js';

/** One mail waiting in the source's inbox. */
export interface SourceItem {
  locator: MailLocator;
  read(): Promise<Buffer>;
}

/** Where mail comes from: the embedded Maildir or an IMAP account. */
export interface MailSource {
  readonly description: string;
  /** The mails now in the inbox, oldest first. */
  list(): Promise<SourceItem[]>;
  /** Called once the ledger row is committed (Maildir: new/ → cur/; IMAP: nothing). */
  claim?(item: SourceItem): Promise<void>;
  /** Resolves when new mail may have arrived or the wait is over (IDLE, file watch, timer). */
  waitForChange(timeoutMs: number, signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** Performs one kind of outbox action; must be idempotent (a retry after a crash is normal). */
export type ActionHandler = (action: ActionRecord, message: MessageRecord) => Promise<void>;

export type ActionHandlers = Partial<Record<ActionRecord['kind'], ActionHandler>>;
