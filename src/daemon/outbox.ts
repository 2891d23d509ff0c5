import type { Logger } from 'pino';
import { describeError, PostrobotError } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import type { ActionRecord, MessageRecord } from '../journal/records.js';
import { retryDelayMs } from './backoff.js';
import { failpoint } from './failpoint.js';
import type { ActionHandlers, ActionItem } from './ports.js';

/** Mails whose due actions run together (the moves among them in one command per folder). */
const BATCH = 50;

export interface OutboxOptions {
  retryDelaysSeconds: number[];
  maxAttempts: number;
  now?: () => Date;
  random?: () => number;
  /** Called when an action is given up on (a 5xx reply, no handler, too many attempts). */
  onGiveUp?: (action: ActionRecord, error: unknown) => void;
}

/**
 * Runs the actions in the outbox: each one after the ledger commit, marked done after
 * it succeeded. A failure is retried on the configured schedule unless it says a retry
 * cannot help; a mail is marked done when all its actions are.
 */
export class OutboxRunner {
  private readonly now: () => Date;
  private readonly random: () => number;
  /** The run in progress (runBatch calls queue behind it). */
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly journal: Journal,
    private readonly handlers: ActionHandlers,
    private readonly options: OutboxOptions,
    private readonly log: Logger,
  ) {
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
  }

  /**
   * Runs the pending actions of one mail, in order. A failure that will be retried stops
   * the rest (the move waits for the forward); one given up on does not.
   */
  private async runFor(messageId: number): Promise<number> {
    let done = 0;
    for (const listed of this.journal.actionsFor(messageId)) {
      const current = this.stillPending(listed);
      if (!current) continue;
      if (current.nextAttemptAt > this.now().toISOString()) break;
      const outcome = await this.runOne(current);
      if (outcome === 'retry') break;
      if (outcome === 'done') done += 1;
    }
    this.finishIfComplete(messageId);
    return done;
  }

  /**
   * Runs the pending actions of several mails. An action whose handler can do many at
   * once (the IMAP move) is gathered from every mail whose earlier actions are done and
   * done together; each one is still recorded done, or failed, on its own. Then each
   * mail's remaining actions run as in runFor().
   */
  runBatch(messageIds: number[]): Promise<number> {
    // One run at a time: two overlapping runs would both send a forward still pending.
    const run = this.running.then(() => this.runBatchNow(messageIds));
    this.running = run.catch(() => undefined);
    return run;
  }

  private async runBatchNow(messageIds: number[]): Promise<number> {
    const gathered = new Map<ActionRecord['kind'], ActionRecord[]>();
    let done = 0;
    const now = this.now().toISOString();
    for (const messageId of messageIds) {
      for (const listed of this.journal.actionsFor(messageId)) {
        const action = this.stillPending(listed);
        if (!action) continue;
        if (action.nextAttemptAt > now) break;
        if (this.handlers[action.kind]?.many) {
          const list = gathered.get(action.kind) ?? [];
          list.push(action);
          gathered.set(action.kind, list);
          break;
        }
        const outcome = await this.runOne(action);
        if (outcome === 'retry') break;
        if (outcome === 'done') done += 1;
      }
    }
    for (const [kind, actions] of gathered) done += await this.runMany(kind, actions);
    // What came after a gathered action, and the mails now complete.
    for (const messageId of messageIds) done += await this.runFor(messageId);
    return done;
  }

  /** Runs every due action in the outbox, in batches of mails; returns how many succeeded. */
  async runDue(limit = 500): Promise<number> {
    const due = this.journal.dueActions(this.now().toISOString(), limit);
    const messages = [...new Set(due.map((action) => action.messageId))];
    let done = 0;
    for (let start = 0; start < messages.length; start += BATCH)
      done += await this.runBatch(messages.slice(start, start + BATCH));
    return done;
  }

  /**
   * The action as the journal has it now, if it is still pending: an earlier action of
   * the mail given up on may have changed it (a move retargeted to quarantine) or done it.
   */
  private stillPending(listed: ActionRecord): ActionRecord | null {
    if (listed.status !== 'pending') return null;
    const current = this.journal.actionsFor(listed.messageId).find((a) => a.id === listed.id);
    return current?.status === 'pending' ? current : null;
  }

  private finishIfComplete(messageId: number): void {
    if (this.journal.getMessage(messageId)?.status !== 'decided') return;
    const actions = this.journal.actionsFor(messageId);
    if (actions.every((action) => action.status === 'done'))
      this.journal.markDone(messageId, this.now().toISOString());
  }

  /** The mail of an action, or null after recording why the action cannot run. */
  private runnable(action: ActionRecord): MessageRecord | null {
    const message = this.journal.getMessage(action.messageId);
    if (message && this.handlers[action.kind]) return message;
    const reason = !message
      ? 'its mail is not in the ledger'
      : `no handler for "${action.kind}" is configured`;
    this.journal.failAction(action.id, reason);
    this.journal.addEvent({
      kind: 'action-failed',
      messageId: action.messageId,
      at: this.now().toISOString(),
      detail: { action: action.kind, target: action.target, error: reason },
    });
    this.log.error(
      { event: 'action-failed', actionId: action.id, kind: action.kind, reason },
      'action cannot run',
    );
    return null;
  }

  private async runOne(action: ActionRecord): Promise<'done' | 'retry' | 'failed'> {
    const message = this.runnable(action);
    if (!message) return 'failed';
    try {
      await this.handlers[action.kind]!(action, message);
    } catch (error) {
      return this.attemptFailed(action, error);
    }
    return this.succeeded(action);
  }

  /** Runs actions of one kind together through the handler's `many`; returns how many succeeded. */
  private async runMany(kind: ActionRecord['kind'], actions: ActionRecord[]): Promise<number> {
    const items: ActionItem[] = [];
    for (const action of actions) {
      const message = this.runnable(action);
      if (message) items.push({ action, message });
    }
    if (items.length === 0) return 0;
    let results: (unknown | null)[];
    try {
      results = await this.handlers[kind]!.many!(items);
    } catch (error) {
      results = items.map(() => error);
    }
    let done = 0;
    for (const [index, { action }] of items.entries()) {
      const error = results[index] ?? null;
      if (error === null) {
        this.succeeded(action);
        done += 1;
      } else {
        this.attemptFailed(action, error);
      }
    }
    return done;
  }

  private succeeded(action: ActionRecord): 'done' {
    failpoint(action.kind === 'move' ? 'after-move' : 'after-forward');
    this.journal.completeAction(action.id, this.now().toISOString());
    // A forward cannot be taken back: its "done" is committed at once, even inside a batch.
    if (action.kind !== 'move') this.journal.checkpoint();
    this.log.debug(
      {
        event: 'action-done',
        actionId: action.id,
        kind: action.kind,
        messageId: action.messageId,
      },
      'action done',
    );
    return 'done';
  }

  /** Records a failed attempt: retried on the schedule, or given up on. */
  private attemptFailed(action: ActionRecord, error: unknown): 'retry' | 'failed' {
    const at = this.now().toISOString();
    const retryable = error instanceof PostrobotError ? error.retryable : true;
    const text = describeError(error);
    const attempts = action.attempts + 1;
    if (!retryable || attempts >= this.options.maxAttempts) {
      this.journal.failAction(action.id, text);
      this.journal.addEvent({
        kind: 'action-failed',
        messageId: action.messageId,
        at,
        detail: { action: action.kind, target: action.target, error: text, attempts },
      });
      this.log.error(
        {
          event: 'action-failed',
          alert: true,
          actionId: action.id,
          kind: action.kind,
          attempts,
          err: text,
        },
        'action failed for good',
      );
      this.options.onGiveUp?.(action, error);
      return 'failed';
    }
    const next = new Date(
      this.now().getTime() +
        retryDelayMs(attempts - 1, this.options.retryDelaysSeconds, this.random()),
    );
    this.journal.retryAction(action.id, text, next.toISOString());
    this.log.warn(
      {
        event: 'action-retry',
        actionId: action.id,
        kind: action.kind,
        attempts,
        next: next.toISOString(),
        err: text,
      },
      'action failed; will retry',
    );
    return 'retry';
  }
}
