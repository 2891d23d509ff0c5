import type { Logger } from 'pino';
import { describeError } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import type { OutboxRunner } from './outbox.js';
import type { MailSource, SourceItem } from './ports.js';

import type { MailProcessor, ProcessOutcome } from './processor.js';

/**
 * Most mails taken in and decided per commit. A chunk is whatever is in the inbox up to
 * this, never waited for: one mail alone goes through at once.
 */
const CHUNK = 25;

/** A chunk's mails read ahead of their turn: the bytes, or why they could not be read. */
interface ReadAhead {
  asked: Set<SourceItem>;
  bytes: Map<SourceItem, Buffer>;
  error: unknown;
}

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

  /**
   * One pass over the inbox, in chunks that share one commit (group commit). The next
   * chunk's mails are fetched (one command) while this one is decided; a chunk's moves
   * go out together once its commit is done.
   */
  async pass(): Promise<PassSummary> {
    const summary: PassSummary = {
      seen: 0,
      outcomes: { known: 0, duplicate: 0, decided: 0, quarantined: 0 },
      actionsDone: 0,
    };
    const items = await this.source.list();
    const chunks: SourceItem[][] = [];
    for (let start = 0; start < items.length; start += CHUNK)
      chunks.push(items.slice(start, start + CHUNK));
    let ahead = chunks.length > 0 ? this.readAhead(chunks[0]!) : null;
    for (let index = 0; index < chunks.length && !this.stopping; index += 1) {
      const started = performance.now();
      const read = await ahead!;
      const readAt = performance.now();
      ahead = index + 1 < chunks.length ? this.readAhead(chunks[index + 1]!) : null;
      const touched = await this.intakeChunk(chunks[index]!, read, summary);
      const committedAt = performance.now();
      // The moves of a chunk share a commit too; a forward commits at once (see OutboxRunner).
      this.journal.beginBatch();
      try {
        summary.actionsDone += await this.outbox.runBatch(touched);
      } finally {
        this.journal.commitBatch();
      }
      this.log.debug(
        {
          event: 'chunk-done',
          mails: chunks[index]!.length,
          waitedMs: Math.round(readAt - started),
          intakeMs: Math.round(committedAt - readAt),
          actionsMs: Math.round(performance.now() - committedAt),
        },
        'chunk taken in and acted on',
      );
    }
    // Stopped mid-pass: what was read ahead is dropped (the mails stay in the inbox).
    await ahead;
    summary.actionsDone += await this.outbox.runDue();
    return summary;
  }

  /** Fetches the chunk's mails that the ledger does not know yet, in one go when the source can. */
  private async readAhead(chunk: SourceItem[]): Promise<ReadAhead> {
    const read: ReadAhead = { asked: new Set(), bytes: new Map(), error: null };
    if (!this.source.readMany) return read;
    const unknown = chunk.filter((item) => !this.journal.findByLocator(item.locator));
    if (unknown.length === 0) return read;
    read.asked = new Set(unknown);
    try {
      read.bytes = await this.source.readMany(unknown);
    } catch (error) {
      read.error = error;
    }
    return read;
  }

  /** Takes in and decides a chunk of mails in one transaction, then does what waited for its commit. */
  private async intakeChunk(
    chunk: SourceItem[],
    read: ReadAhead,
    summary: PassSummary,
  ): Promise<number[]> {
    const touched: number[] = [];
    this.journal.beginBatch();
    this.processor.startBatch();
    try {
      if (read.error !== null) throw read.error;
      for (const item of chunk) {
        if (this.stopping) break;
        const bytes = read.bytes.get(item);
        if (read.asked.has(item) && !bytes) {
          // Listed, then gone before the fetch (moved by someone else): nothing to take in.
          this.log.info(
            { event: 'mail-gone', uid: item.locator.uid },
            'mail left the inbox before it was read',
          );
          continue;
        }
        summary.seen += 1;
        const { outcome, message } = await this.processor.intake(item, this.source, bytes);
        summary.outcomes[outcome] += 1;
        if (outcome !== 'known') touched.push(message.id);
      }
      // The raw mail reaches the disk before the ledger rows that name it.
      const sealing = performance.now();
      await this.processor.sealBatch();
      this.log.debug(
        {
          event: 'chunk-sealed',
          mails: chunk.length,
          fsyncMs: Math.round(performance.now() - sealing),
        },
        'raw mail of the chunk synced',
      );
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
        let tookIn = false;
        try {
          const summary = await this.pass();
          onPass?.(summary, index);
          index += 1;
          tookIn = summary.seen > summary.outcomes.known;
        } catch (error) {
          this.log.error(
            { event: 'pass-failed', err: describeError(error) },
            'a pass over the inbox failed; trying again',
          );
        }
        if (this.stopping) break;
        // After new mail, look again at once: while mail streams in, the next listing (its
        // NOOP) finds what came meanwhile, where waiting would first let IDLE start (IMAP:
        // up to 200 ms of nothing per pass, which capped a steady 50 mails/s). Mail still
        // known from before (a move waiting for its retry) does not count, so no busy loop.
        if (!tookIn)
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
