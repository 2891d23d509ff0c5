import type { Logger } from 'pino';
import { describeError } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import type { OutboxRunner } from './outbox.js';
import type { MailSource } from './ports.js';
import type { MailProcessor, ProcessOutcome } from './processor.js';

export interface DaemonOptions {
  pollIntervalMs: number;
}

export interface PassSummary {
  seen: number;
  outcomes: Record<ProcessOutcome, number>;
  actionsDone: number;
}

/**
 * The main loop: resume what a crash left, then take the inbox mail by mail, run the
 * outbox, wait for new mail; repeat until stopped. `stop()` lets the mail in flight
 * finish; calling it twice returns the same promise.
 */
export class Daemon {
  private stopping = false;
  private readonly abort = new AbortController();
  private running: Promise<void> | null = null;
  private stopped: Promise<void> | null = null;

  constructor(
    private readonly source: MailSource,
    private readonly processor: MailProcessor,
    private readonly outbox: OutboxRunner,
    private readonly journal: Journal,
    private readonly options: DaemonOptions,
    private readonly log: Logger,
  ) {}

  /** Mails received but never decided (a crash between intake and decision) are decided now. */
  async resume(): Promise<void> {
    for (const message of this.journal.undecided()) {
      if (this.stopping) return;
      this.log.info(
        { event: 'resume-undecided', messageId: message.id },
        'deciding a mail left undecided',
      );
      await this.processor.decideStored(message);
    }
    await this.outbox.runDue();
  }

  /** One pass over the inbox. */
  async pass(): Promise<PassSummary> {
    const summary: PassSummary = {
      seen: 0,
      outcomes: { known: 0, duplicate: 0, decided: 0, quarantined: 0 },
      actionsDone: 0,
    };
    const items = await this.source.list();
    for (const item of items) {
      if (this.stopping) break;
      summary.seen += 1;
      try {
        const { outcome, message } = await this.processor.intake(item, this.source);
        summary.outcomes[outcome] += 1;
        if (outcome !== 'known') await this.outbox.runFor(message.id);
      } catch (error) {
        // The ledger or the store failed: the mail stays in the inbox and is tried next pass.
        this.log.error(
          { event: 'intake-failed', uid: item.locator.uid, err: describeError(error) },
          'cannot take in a mail; it stays in the inbox',
        );
      }
    }
    summary.actionsDone += await this.outbox.runDue();
    return summary;
  }

  /** Runs until stop(); each pass's summary goes to onPass. */
  run(onPass?: (summary: PassSummary, index: number) => void): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      await this.resume();
      let index = 0;
      while (!this.stopping) {
        try {
          const summary = await this.pass();
          onPass?.(summary, index);
          index += 1;
        } catch (error) {
          this.log.error(
            { event: 'pass-failed', err: describeError(error) },
            'a pass over the inbox failed; trying again',
          );
        }
        if (this.stopping) break;
        await this.source.waitForChange(this.options.pollIntervalMs, this.abort.signal);
      }
    })();
    return this.running;
  }

  /** Stops taking mail, lets the one in flight finish, closes the source. */
  stop(): Promise<void> {
    if (this.stopped) return this.stopped;
    this.stopping = true;
    this.abort.abort();
    this.stopped = (async () => {
      await this.running?.catch(() => undefined);
      await this.source.close();
    })();
    return this.stopped;
  }
}
