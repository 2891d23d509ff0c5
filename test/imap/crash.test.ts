import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { openJournal } from '../../src/daemon/main.js';
import { startCli, waitFor } from '../helpers.js';
import {
  destinations,
  fixtureBatch,
  forwardCounts,
  imapConfig,
  imapTestAccount,
  misplaced,
  type ImapTestConfig,
} from './harness.js';

const BATCH = 200;
/**
 * OCR off: these tests are about crashes, and with it on a 200-mail batch waits minutes on
 * a busy machine for scans queued behind the case PDFs' text layers (one OCR queue).
 */
const NO_OCR = { ocr: '\n  enabled: false' };

function exitOf(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('kill -9 at every step boundary: nothing lost, nothing done twice', () => {
  const account = imapTestAccount();
  const { dovecot } = account;
  const sink = account.sink!;
  const children: ChildProcess[] = [];
  const start = (args: string[], env: Record<string, string>): ChildProcess => {
    const child = startCli(args, env);
    children.push(child);
    return child;
  };

  afterEach(() => {
    for (const child of children.splice(0))
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  function settled(setup: ImapTestConfig): boolean {
    if (dovecot.count('INBOX') !== 0) return false;
    const { journal } = openJournal(setup.config);
    try {
      const stats = journal.stats();
      return (
        stats.pendingActions === 0 &&
        (stats.byStatus.received ?? 0) === 0 &&
        (stats.byStatus.decided ?? 0) === 0
      );
    } finally {
      journal.close();
    }
  }

  /** Runs the daemon until the inbox is empty and the outbox done, then stops it with SIGTERM. */
  async function runToEnd(setup: ImapTestConfig): Promise<void> {
    const child = start(['run', '--config', setup.file], setup.env);
    const exited = exitOf(child);
    await waitFor(() => settled(setup), 120_000, 250).catch((error: unknown) => {
      const { journal } = openJournal(setup.config);
      const pending = journal.dueActions('9999', 5);
      const stats = journal.stats();
      journal.close();
      throw new Error(
        `not settled: inbox ${dovecot.count('INBOX')}, ${JSON.stringify(stats)}, ${JSON.stringify(pending)}`,
        { cause: error },
      );
    });
    child.kill('SIGTERM');
    expect((await exited).code).toBe(0);
  }

  function verify(setup: ImapTestConfig, batch: { messageId: string }[], crashes: number): void {
    const report = destinations(
      dovecot,
      batch.map((m) => m.messageId),
    );
    expect(report.inInbox).toBe(0);
    expect(misplaced(report)).toEqual([]);
    const counts = [...forwardCounts(sink).values()];
    expect(counts.every((n) => n <= 2)).toBe(true);
    expect(counts.filter((n) => n === 2).length).toBeLessThanOrEqual(crashes);
    const { journal } = openJournal(setup.config);
    try {
      const forwards = journal
        .listMessages({})
        .flatMap((m) => journal.actionsFor(m.id))
        .filter((a) => a.kind === 'forward');
      expect(forwards.every((a) => a.status === 'done')).toBe(true);
      // Every forward the journal planned arrived, under its own deterministic Message-ID.
      expect(forwardCounts(sink).size).toBe(forwards.length);
      expect(journal.listMessages({}).length).toBe(batch.length);
    } finally {
      journal.close();
    }
  }

  // Forwards go to three areas only, so the 7th forward comes well inside the batch.
  it.each([
    ['after-intake', 37],
    ['after-decision', 37],
    ['after-forward', 7],
    ['after-move', 37],
  ])(
    'a crash at %s of the %ith mail in a batch of 200',
    async (point, nth) => {
      const batch = fixtureBatch(BATCH);
      expect(batch).toHaveLength(BATCH);
      await dovecot.deliver(batch.map((m) => m.raw));
      const setup = imapConfig(account.dir(), dovecot, sink, NO_OCR);
      const crashing = start(['run', '--config', setup.file], {
        ...setup.env,
        POSTROBOT_FAILPOINT: `${point}:${nth}`,
      });
      const crash = await exitOf(crashing);
      expect(crash.signal).toBe('SIGKILL');
      expect(dovecot.count('INBOX')).toBeGreaterThan(0);
      await runToEnd(setup);
      verify(setup, batch, point === 'after-forward' ? 1 : 0);
    },
    240_000,
  );

  it('two daemons started at once: one runs, the other refuses with a clear message', async () => {
    const batch = fixtureBatch(50);
    await dovecot.deliver(batch.map((m) => m.raw));
    const setup = imapConfig(account.dir(), dovecot, sink, NO_OCR);
    const first = start(['run', '--config', setup.file], setup.env);
    const second = start(['run', '--config', setup.file], setup.env);
    const stderr: string[] = [];
    for (const child of [first, second])
      child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const exits = [exitOf(first), exitOf(second)];
    const refused = await Promise.race(exits.map((p, i) => p.then((r) => ({ ...r, i }))));
    expect(refused.code).toBe(1);
    expect(stderr.join('')).toMatch(/already running/);
    await waitFor(() => settled(setup), 60_000, 250);
    const survivor = refused.i === 0 ? second : first;
    survivor.kill('SIGTERM');
    expect((await exits[refused.i === 0 ? 1 : 0])!.code).toBe(0);
    verify(setup, batch, 0);
  }, 120_000);
});
