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
  /**
   * Reads several mails at once (IMAP: one UID FETCH for all of them). A mail that is no
   * longer there is left out of the map. Without it, each item's read() is used.
   */
  readMany?(items: SourceItem[]): Promise<Map<SourceItem, Buffer>>;
  /** Called once the ledger row is committed (Maildir: new/ → cur/; IMAP: nothing). */
  claim?(item: SourceItem): Promise<void>;
  /** Resolves when new mail may have arrived or the wait is over (IDLE, file watch, timer). */
  waitForChange(timeoutMs: number, signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** One outbox action with its mail, as a handler receives it. */
export interface ActionItem {
  action: ActionRecord;
  message: MessageRecord;
}

/**
 * Performs one kind of outbox action; must be idempotent (a retry after a crash is normal).
 * `many`, when there, performs several at once (one IMAP command for a folder's moves)
 * and reports each one's outcome, in order: null when done, else the error.
 */
export interface ActionHandler {
  (action: ActionRecord, message: MessageRecord): Promise<void>;
  many?: (items: ActionItem[]) => Promise<(unknown | null)[]>;
}

export type ActionHandlers = Partial<Record<ActionRecord['kind'], ActionHandler>>;
