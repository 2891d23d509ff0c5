import type { Logger } from 'pino';
import { describeError, PostrobotError } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import type { ActionRecord } from '../journal/records.js';
import { retryDelayMs } from './backoff.js';
import { failpoint } from './failpoint.js';
import type { ActionHandlers } from './ports.js';

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
  async runFor(messageId: number): Promise<number> {
    let done = 0;
    for (const action of this.journal.actionsFor(messageId)) {
      if (action.status !== 'pending') continue;
      const current = this.journal.actionsFor(messageId).find((a) => a.id === action.id) ?? action;
      if (current.status !== 'pending') continue;
      if (current.nextAttemptAt > this.now().toISOString()) break;
      const outcome = await this.runOne(current);
      if (outcome === 'retry') break;
      if (outcome === 'done') done += 1;
    }
    this.finishIfComplete(messageId);
    return done;
  }

  /** Runs every due action in the outbox, mail by mail; returns how many succeeded. */
  async runDue(limit = 500): Promise<number> {
    const due = this.journal.dueActions(this.now().toISOString(), limit);
    const messages = [...new Set(due.map((action) => action.messageId))];
    let done = 0;
    for (const messageId of messages) done += await this.runFor(messageId);
    return done;
  }

  private finishIfComplete(messageId: number): void {
    if (this.journal.getMessage(messageId)?.status !== 'decided') return;
    const actions = this.journal.actionsFor(messageId);
    if (actions.every((action) => action.status === 'done'))
      this.journal.markDone(messageId, this.now().toISOString());
  }

  private async runOne(action: ActionRecord): Promise<'done' | 'retry' | 'failed'> {
    const message = this.journal.getMessage(action.messageId);
    const handler = this.handlers[action.kind];
    const at = this.now().toISOString();
    if (!message || !handler) {
      const reason = !message
        ? 'its mail is not in the ledger'
        : `no handler for "${action.kind}" is configured`;
      this.journal.failAction(action.id, reason);
      this.journal.addEvent({
        kind: 'action-failed',
        messageId: action.messageId,
        at,
        detail: { action: action.kind, target: action.target, error: reason },
      });
      this.log.error(
        { event: 'action-failed', actionId: action.id, kind: action.kind, reason },
        'action cannot run',
      );
      return 'failed';
    }
    try {
      await handler(action, message);
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
    } catch (error) {
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
      } else {
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
      }
      return 'retry';
    }
  }
}
