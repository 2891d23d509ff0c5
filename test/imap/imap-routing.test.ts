import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/daemon/main.js';
import { silentLogger } from '../../src/log/logger.js';
import { autoReply, sickPayComplaint } from '../foundation/mails.js';
import { waitFor } from '../helpers.js';
import type { Dovecot } from './dovecot.js';
import {
  destinations,
  fixtureBatch,
  forwardCounts,
  imapConfig,
  imapTestAccount,
  misplaced,
} from './harness.js';

describe('routing a real Dovecot inbox over IMAP', () => {
  const account = imapTestAccount();
  const { dovecot } = account;
  const sink = account.sink!;
  let runtime: Runtime | null = null;

  afterEach(async () => {
    await runtime?.close();
    runtime = null;
  });

  function start(): Runtime {
    const { config } = imapConfig(account.dir(), dovecot, sink);
    runtime = createRuntime(config, silentLogger());
    return runtime;
  }

  /** Runs the outbox's due retries until nothing is pending. */
  async function retryUntilOutboxEmpty(rt: Runtime): Promise<void> {
    await waitFor(
      () => {
        void rt.outbox.runDue();
        return rt.journal.stats().pendingActions === 0;
      },
      10_000,
      300,
    );
  }

  async function drain(rt: Runtime): Promise<void> {
    await waitFor(
      () => dovecot.count('INBOX') === 0 && rt.journal.stats().pendingActions === 0,
      30_000,
      50,
    ).catch(() => undefined);
  }

  it('moves every mail to one folder (created when missing) and forwards routed mail with a deterministic Message-ID', async () => {
    const batch = fixtureBatch(60);
    await dovecot.deliver(batch.map((m) => m.raw));
    const rt = start();
    const loop = rt.daemon.run();
    await drain(rt);
    await rt.daemon.stop();
    await loop;
    const report = destinations(
      dovecot,
      batch.map((m) => m.messageId),
    );
    expect(report.inInbox).toBe(0);
    expect(misplaced(report)).toEqual([]);
    expect(dovecot.folders()).toContain('Manuel fordeling');
    const forwardActions = rt.journal
      .listMessages({})
      .flatMap((m) => rt.journal.actionsFor(m.id))
      .filter((a) => a.kind === 'forward');
    expect(forwardActions.length).toBeGreaterThan(0);
    expect(forwardActions.every((a) => a.status === 'done')).toBe(true);
    expect(sink.received).toHaveLength(forwardActions.length);
    for (const forward of sink.received) {
      expect(forward.messageId).toMatch(/^<postrobot\.[0-9a-f]{32}\.[0-9a-f]{12}@ast\.dk>$/);
      expect(forward.raw).toMatch(/^Auto-Submitted: auto-generated/im);
      expect(forward.raw).toMatch(/Content-Type: message\/rfc822/i);
      expect(forward.to.every((to) => to.endsWith('@ast.dk'))).toBe(true);
    }
    expect([...forwardCounts(sink).values()].every((n) => n === 1)).toBe(true);
  });

  it('never forwards an auto-reply or our own forward coming back', async () => {
    const rt = start();
    await dovecot.deliver([sickPayComplaint]);
    await rt.daemon.pass();
    await drain(rt);
    expect(sink.received).toHaveLength(1);
    const ownForward = sink.received[0]!.raw;
    await dovecot.deliver([autoReply, ownForward]);
    await rt.daemon.pass();
    await drain(rt);
    expect(sink.received).toHaveLength(1);
    const automatic = rt.journal.listMessages({}).map((m) => m.automatic);
    expect(automatic).toEqual([null, 'auto-reply', 'own-forward']);
    expect(dovecot.count('Manuel fordeling')).toBe(2);
  });

  it('retries a forward answered 4xx and sends it once the relay accepts', async () => {
    const rt = start();
    sink.mode = 'defer';
    await dovecot.deliver([sickPayComplaint]);
    await rt.daemon.pass();
    const [message] = rt.journal.listMessages({});
    const forward = rt.journal.actionsFor(message!.id).find((a) => a.kind === 'forward');
    expect(forward).toMatchObject({ status: 'pending', attempts: 1 });
    expect(forward?.lastError).toMatch(/451|Try again/);
    expect(dovecot.count('INBOX')).toBe(1);
    sink.mode = 'accept';
    await retryUntilOutboxEmpty(rt);
    expect(sink.received).toHaveLength(1);
    expect(dovecot.count('Beskæftigelse')).toBe(1);
  });

  it('quarantines a mail whose forward is refused 5xx, with the reply', async () => {
    const rt = start();
    sink.mode = 'reject';
    await dovecot.deliver([sickPayComplaint]);
    await rt.daemon.pass();
    await drain(rt);
    const [message] = rt.journal.listMessages({});
    expect(message).toMatchObject({ status: 'quarantined', errorCode: 'ForwardRefused' });
    expect(message?.error).toMatch(/550|Relaying denied/);
    expect(dovecot.count('Karantæne')).toBe(1);
    expect(dovecot.count('Beskæftigelse')).toBe(0);
  });

  it('a relay that drops the connection after DATA gives at most one duplicate, with the same Message-ID', async () => {
    const rt = start();
    sink.mode = 'drop-after-data';
    await dovecot.deliver([sickPayComplaint]);
    await rt.daemon.pass();
    sink.mode = 'accept';
    await retryUntilOutboxEmpty(rt);
    expect(sink.received).toHaveLength(2);
    expect(sink.received[0]!.messageId).toBe(sink.received[1]!.messageId);
    expect(dovecot.count('Beskæftigelse')).toBe(1);
  });

  it('keeps routing when Dovecot is stopped and started mid-batch', async () => {
    const batch = fixtureBatch(80);
    await dovecot.deliver(batch.slice(0, 40).map((m) => m.raw));
    const rt = start();
    const loop = rt.daemon.run();
    await waitFor(() => rt.journal.stats().byStatus.done !== undefined, 20_000, 20);
    await dovecot.stop();
    await new Promise((r) => setTimeout(r, 1500));
    await dovecot.start();
    await dovecot.deliver(batch.slice(40).map((m) => m.raw));
    await drain(rt);
    await rt.daemon.stop();
    await loop;
    const report = destinations(
      dovecot,
      batch.map((m) => m.messageId),
    );
    expect(report.inInbox).toBe(0);
    expect(misplaced(report)).toEqual([]);
    expect([...forwardCounts(sink).values()].every((n) => n === 1)).toBe(true);
  });

  it('notices new mail after its connection was cut during IDLE', async () => {
    const rt = start();
    const loop = rt.daemon.run();
    await dovecot.deliver([sickPayComplaint]);
    await drain(rt);
    dovecot.doveadm('kick', 'robot');
    await new Promise((r) => setTimeout(r, 300));
    await dovecot.deliver([autoReply]);
    await drain(rt);
    await rt.daemon.stop();
    await loop;
    expect(dovecot.count('INBOX')).toBe(0);
    expect(rt.journal.stats().byStatus.done).toBe(2);
  });

  it('after a UIDVALIDITY change routes new mail and does not route handled mail again', async () => {
    const rt = start();
    const batch = fixtureBatch(10);
    await dovecot.deliver(batch.slice(0, 5).map((m) => m.raw));
    await rt.daemon.pass();
    await drain(rt);
    const forwardsBefore = sink.received.length;
    // The same mails come back (a second delivery: new trace headers, same mail), then the
    // mailbox gets a new UIDVALIDITY and new mail arrives.
    await dovecot.deliver(batch.slice(0, 5).map((m) => m.raw));
    dovecot.doveadm(
      'mailbox',
      'update',
      '-u',
      'robot',
      '--uid-validity',
      String(Math.floor(Date.now() / 1000) + 7),
      'INBOX',
    );
    dovecot.doveadm('kick', 'robot');
    await dovecot.deliver(batch.slice(5).map((m) => m.raw));
    await waitFor(
      () => {
        void rt.daemon.pass().catch(() => undefined);
        return dovecot.count('INBOX') === 0;
      },
      20_000,
      500,
    );
    await drain(rt);
    const messages = rt.journal.listMessages({});
    expect(messages.filter((m) => m.status === 'duplicate')).toHaveLength(5);
    expect(messages.filter((m) => m.status === 'done' || m.status === 'decided')).toHaveLength(10);
    const newForwards = sink.received.slice(forwardsBefore);
    const oldSha = new Set(messages.slice(0, 5).map((m) => m.sha256.slice(0, 32)));
    expect(newForwards.some((f) => [...oldSha].some((sha) => f.messageId.includes(sha)))).toBe(
      false,
    );
  });

  it('routes mail whose UIDs are above 2^31', async () => {
    dovecot.doveadm(
      'mailbox',
      'update',
      '-u',
      'robot',
      '--min-next-uid',
      String(2 ** 31 + 5),
      'INBOX',
    );
    await dovecot.deliver([sickPayComplaint]);
    const rt = start();
    await rt.daemon.pass();
    await drain(rt);
    const [message] = rt.journal.listMessages({});
    expect(Number(message!.locator.uid)).toBeGreaterThan(2 ** 31);
    expect(message!.status).toBe('done');
    expect(dovecot.count('Beskæftigelse')).toBe(1);
  });

  it('refuses plain imap:// to a host that is not loopback', () => {
    expect(() =>
      imapConfig(
        account.dir(),
        { ...dovecot, imapUrl: 'imap://robot@mail.example.dk:143' } as Dovecot,
        null,
      ),
    ).toThrow(/unencrypted/);
  });
});
