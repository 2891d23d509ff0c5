import type { Logger } from 'pino';
import { describeError } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import type { OutboxRunner } from './outbox.js';
import type { MailSource, SourceItem } from './ports.js';

/** Mails taken in and decided per commit. */
const CHUNK = 25;
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

  /** One pass over the inbox, in chunks that share one commit (group commit). */
  async pass(): Promise<PassSummary> {
    const summary: PassSummary = {
      seen: 0,
      outcomes: { known: 0, duplicate: 0, decided: 0, quarantined: 0 },
      actionsDone: 0,
    };
    const items = await this.source.list();
    for (let start = 0; start < items.length && !this.stopping; start += CHUNK) {
      const chunk = items.slice(start, start + CHUNK);
      const touched = await this.intakeChunk(chunk, summary);
      // The moves of a chunk share a commit too; a forward commits at once (see OutboxRunner).
      this.journal.beginBatch();
      try {
        for (const messageId of touched) summary.actionsDone += await this.outbox.runFor(messageId);
      } finally {
        this.journal.commitBatch();
      }
    }
    summary.actionsDone += await this.outbox.runDue();
    return summary;
  }

  /** Takes in and decides a chunk of mails in one transaction, then does what waited for its commit. */
  private async intakeChunk(chunk: SourceItem[], summary: PassSummary): Promise<number[]> {
    const touched: number[] = [];
    this.journal.beginBatch();
    this.processor.startBatch();
    try {
      for (const item of chunk) {
        if (this.stopping) break;
        summary.seen += 1;
        const { outcome, message } = await this.processor.intake(item, this.source);
        summary.outcomes[outcome] += 1;
        if (outcome !== 'known') touched.push(message.id);
      }
      this.journal.commitBatch();
    } catch (error) {
      // The ledger or the store failed: nothing of the chunk is committed or acted on;
      // its mails stay in the inbox and are tried again next pass.
      this.journal.rollbackBatch();
      this.processor.abandonBatch();
      this.log.error(
        { event: 'intake-failed', mails: chunk.length, err: describeError(error) },
        'cannot take in mail; it stays in the inbox',
      );
      return [];
    }
    await this.processor.finishBatch();
    return touched;
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
