import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/daemon/main.js';
import { silentLogger } from '../../src/log/logger.js';
import { shadowReport } from '../../src/ops/shadow-report.js';
import { tempDir, waitFor } from '../helpers.js';
import { Dovecot } from '../imap/dovecot.js';
import { fixtureBatch, imapConfig } from '../imap/harness.js';
import { SmtpSink } from '../imap/smtp-sink.js';

describe('shadow mode on a real Dovecot', { timeout: 180_000 }, () => {
  const dovecot = new Dovecot();
  const sink = new SmtpSink();
  let dir: string;
  let cleanup: () => void;

  beforeAll(async () => {
    await dovecot.start();
    await sink.start();
  });
  afterAll(async () => {
    await sink.stop();
    await dovecot.destroy();
  });
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('decides and records every mail with its reasons, and moves and forwards nothing', async () => {
    const batch = fixtureBatch(25);
    await dovecot.deliver(batch.map((m) => m.raw));
    const { config } = imapConfig(dir, dovecot, sink, { shadow: 'true' });
    const runtime = createRuntime(config, silentLogger());
    try {
      expect(runtime.state.shadow).toBe(true);
      const loop = runtime.daemon.run();
      await waitFor(
        () =>
          runtime.journal.listMessages({}).filter((m) => m.decision !== null).length ===
          batch.length,
        60_000,
      );
      // A further pass or two, so that anything the outbox would do has had its chance.
      await new Promise((r) => setTimeout(r, 1500));
      await runtime.daemon.stop();
      await loop;
      const messages = runtime.journal.listMessages({});
      // Every mail decided in shadow; a mail that nothing points anywhere is left to a person without reasons.
      expect(messages.filter((m) => !m.shadow || m.decision === null).map((m) => m.id)).toEqual([]);
      expect(
        messages.filter((m) => m.decision === 'route').every((m) => m.reasons.length > 0),
      ).toBe(true);
      expect(messages.flatMap((m) => runtime.journal.actionsFor(m.id))).toEqual([]);
      expect(dovecot.count('INBOX')).toBe(batch.length);
      for (const folder of dovecot.folders().filter((f) => f !== 'INBOX'))
        expect(dovecot.count(folder), folder).toBe(0);
      expect(sink.received).toEqual([]);
      const report = shadowReport(
        runtime.journal,
        config.routing,
        new Date(Date.now() - 86_400_000),
      );
      expect(report.mails).toBe(batch.length);
      expect(report.routed).toBeGreaterThan(0);
      expect(Object.values(report.forwards).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    } finally {
      await runtime.close();
    }
  });
});
