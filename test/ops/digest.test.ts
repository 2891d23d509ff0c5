import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { createRuntime, type Runtime } from '../../src/daemon/main.js';
import { silentLogger } from '../../src/log/logger.js';
import { sendDueDigests } from '../../src/ops/notices/digest.js';
import { createMailer } from '../../src/ops/notices/mailer.js';
import { sickPayComplaint } from '../foundation/mails.js';
import { configIn, tempDir } from '../helpers.js';
import { routingWithForwards } from '../imap/harness.js';
import { SmtpSink } from '../imap/smtp-sink.js';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

describe("the areas' daily digest of new post without a case", () => {
  const sink = new SmtpSink();
  let dir: string;
  let cleanup: () => void;
  let runtime: Runtime | null = null;
  beforeAll(() => sink.start());
  afterAll(() => sink.stop());
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    sink.received.length = 0;
  });
  afterEach(async () => {
    await runtime?.close();
    cleanup();
  });

  it('sends each area with addresses one Danish digest a day, after the configured hour, to its configured addresses only', async () => {
    const file = configIn(dir, {}, routingWithForwards());
    const config = loadConfig(file, {});
    for (const sub of ['new', 'cur', 'tmp'])
      mkdirSync(join(config.inboxDir, sub), { recursive: true });
    writeFileSync(join(config.inboxDir, 'new', '1.M1P1.a'), sickPayComplaint);
    runtime = createRuntime(config, silentLogger());
    await runtime.daemon.pass();
    const mailer = createMailer(
      { url: new URL(`smtp://127.0.0.1:${sink.port}`), password: null } as never,
      'postrobot@ast.dk',
    );
    const routing = runtime.state.routing.config;
    const at = (hour: number): Date => new Date(2030, 0, 15, hour, 5);
    const send = (now: Date): Promise<number> =>
      sendDueDigests(
        runtime!.journal,
        routing,
        mailer,
        { hour: 7, now, send: true },
        silentLogger(),
      );

    expect(await send(at(6))).toBe(0); // before the hour
    expect(await send(at(8))).toBe(1);
    expect(await send(at(9))).toBe(0); // once a day
    expect(sink.received).toHaveLength(1);
    const digest = await simpleParser(sink.received[0]!.raw);
    expect(sink.received[0]!.to).toEqual(['beskaeftigelse@ast.dk']);
    expect(digest.subject).toMatch(/^Daglig oversigt .*: 1 ny mail uden sag i Beskæftigelse$/);
    expect(digest.text).toContain('Klage over stop af sygedagpenge');
    // The next day: nothing new, nothing sent.
    expect(await send(new Date(2030, 0, 16, 8))).toBe(0);
    expect(sink.received).toHaveLength(1);
    mailer.close();
  });
});
