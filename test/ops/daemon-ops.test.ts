import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { openJournal } from '../../src/daemon/main.js';
import { subfolderPath } from '../../src/daemon/sources/maildir.js';
import { mail, sickPayComplaint } from '../foundation/mails.js';
import { configIn, maildirFiles, runCli, tempDir, waitFor } from '../helpers.js';
import { freePort } from '../imap/dovecot.js';
import { SmtpSink } from '../imap/smtp-sink.js';
import { httpGet, sample, startDaemon, waitForEvent, type RunningDaemon } from './ops-helpers.js';

const INFO = { POSTROBOT_LOG_LEVEL: 'info' };

function drop(inboxDir: string, name: string, raw: string): void {
  writeFileSync(join(inboxDir, 'new', name), raw);
}

/** A failed wait that says what the daemon logged (its log carries no mail text). */
function withDaemonLog(
  daemon: RunningDaemon | null,
  what: () => string,
): (error: unknown) => never {
  return (error) => {
    throw new Error(
      `${what()} not sent in time; the daemon's last log lines:\n${daemon?.output().slice(-8000) ?? ''}`,
      {
        cause: error,
      },
    );
  };
}

describe('the daemon in operation', { timeout: 180_000 }, () => {
  let dir: string;
  let cleanup: () => void;
  let daemon: RunningDaemon | null = null;
  const sink = new SmtpSink();

  beforeAll(() => sink.start());
  afterAll(() => sink.stop());
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    sink.received.length = 0;
  });
  afterEach(async () => {
    await daemon?.stop();
    daemon = null;
    cleanup();
  });

  it('notifies the caseworker once per batch of new documents over SMTP and serves metrics and health', async () => {
    const port = await freePort();
    const file = configIn(dir, {
      source: '\n  pollIntervalSeconds: 0.2',
      metrics: `\n  port: ${port}`,
      notices: '\n  batchSeconds: 1\n  digestHour: null',
    });
    const config = loadConfig(file, {});
    const csv = join(dir, 'assign.csv');
    writeFileSync(csv, 'caseNumber,area,caseworker\n24-300011,beskaeftigelse,mette.holm@ast.dk\n');
    expect(runCli(['case', 'assign', '--csv', csv, '--config', file]).status).toBe(0);
    const outside = runCli(['case', 'assign', '24-300023', 'someone@gmail.com', '--config', file]);
    expect(outside.status).toBe(2);
    daemon = startDaemon(['--config', file], {
      ...INFO,
      POSTROBOT_SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    });
    await waitForEvent(daemon, 'metrics-listening', 90_000);
    drop(
      config.inboxDir,
      '1.M1P1.a',
      mail(
        { Subject: 'Lægeerklæring, sagsnr. 24-300011', 'Message-ID': '<a-1@x.dk>' },
        'Hermed lægeerklæringen.',
      ),
    );
    drop(
      config.inboxDir,
      '2.M2P1.b',
      mail(
        { Subject: 'Supplerende oplysninger til sagsnr. 24-300011', 'Message-ID': '<a-2@x.dk>' },
        'Og her er mere.',
      ),
    );
    drop(
      config.inboxDir,
      '3.M3P1.c',
      mail(
        { Subject: 'Sagsnr. 24-999001', 'Message-ID': '<a-3@x.dk>' },
        'En sag uden sagsbehandler.',
      ),
    );
    // The sink also receives the routed mails' forwards; the notices are what is counted here.
    const notices = (): typeof sink.received =>
      sink.received.filter((r) => r.messageId.startsWith('<notice.'));
    await waitFor(() => notices().length >= 1, 60_000).catch(
      withDaemonLog(daemon, () => `first notice (${notices().length} received)`),
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(notices()).toHaveLength(1);
    const notice = notices()[0]!;
    expect(notice.to).toEqual(['mette.holm@ast.dk']);
    expect(notice.raw).toMatch(/^Subject: .*24-300011/im);
    expect(notice.raw).toMatch(/^Auto-Submitted: auto-generated/im);
    expect(notice.messageId).toMatch(/^<notice\.24-300011\.\d+@ast\.dk>$/);
    const parsed = await simpleParser(notice.raw);
    expect(parsed.subject).toBe('Ny post på sag 24-300011: 2 nye dokumenter');
    expect(parsed.text).toMatch(/Akt 1 +Lægeerklæring, sagsnr\. 24-300011/);
    expect(parsed.text).toMatch(/Akt 2 +Supplerende oplysninger/);
    expect(parsed.text).toContain(`${config.dataDir}/bundles/24-300011.pdf`);

    // Post arriving later makes a new notice with just the new document.
    drop(
      config.inboxDir,
      '4.M4P1.d',
      mail(
        { Subject: 'Sagsnr. 24-300011 – en rettelse', 'Message-ID': '<a-4@x.dk>' },
        'En rettelse.',
      ),
    );
    await waitFor(() => notices().length === 2, 60_000).catch(
      withDaemonLog(daemon, () => `second notice (${notices().length} received)`),
    );
    expect((await simpleParser(notices()[1]!.raw)).subject).toBe(
      'Ny post på sag 24-300011: 1 nyt dokument',
    );

    const metrics = await httpGet(port, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(
      sample(
        metrics.body,
        'postrobot_mails_decided_total{decision="route",area="beskaeftigelse",mode="live"}',
      ),
    ).toBe(3);
    expect(sample(metrics.body, 'postrobot_outbox_actions{kind="notify",status="done"}')).toBe(2);
    expect(sample(metrics.body, 'postrobot_notices_sent_total{kind="notice"}')).toBe(2);
    expect(
      sample(metrics.body, 'postrobot_intake_to_decision_seconds_count{decision="route"}'),
    ).toBeGreaterThanOrEqual(3);
    expect(
      sample(metrics.body, 'postrobot_decision_to_action_done_seconds_count{kind="move"}'),
    ).toBeGreaterThanOrEqual(4);
    expect(sample(metrics.body, 'postrobot_source_last_contact_timestamp_seconds')).toBeGreaterThan(
      Date.now() / 1000 - 60,
    );
    expect(metrics.body).toMatch(/^# TYPE postrobot_ocr_pages_total counter$/m);
    const health = await httpGet(port, '/healthz');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok', failedActions: 0 });
    expect((await httpGet(port, '/nothing')).status).toBe(404);
    expect(await daemon.stop()).toBe(0);
  });

  it('keeps routing with the old rules after a broken routing file and SIGHUP, and takes a valid change from disk without a signal', async () => {
    const port = await freePort();
    const file = configIn(dir, {
      source: '\n  pollIntervalSeconds: 0.2',
      metrics: `\n  port: ${port}`,
    });
    const config = loadConfig(file, {});
    const routingFile = config.routingFile;
    const original = readFileSync(routingFile, 'utf8');
    daemon = startDaemon(['--config', file], INFO);
    // The first pass is logged after the signal handlers are in place.
    await waitForEvent(daemon, 'pass', 90_000);

    writeFileSync(routingFile, original.replace('defaultThreshold: 0.9', 'defaultThreshold: 7'));
    daemon.child.kill('SIGHUP');
    await waitFor(
      () => (daemon!.output().match(/"event":"routing-rejected"/g) ?? []).length >= 1,
      60_000,
    );
    expect(daemon.output()).toMatch(/routing\.yaml: defaultThreshold/);
    drop(config.inboxDir, '1.M1P1.old', sickPayComplaint);
    await waitFor(
      () => maildirFiles(subfolderPath(config.inboxDir, 'Beskæftigelse')).length === 1,
      60_000,
    );

    const withRule = original.replace(
      /^rules:.*$/m,
      'rules:\n  - name: sygedagpenge til en person\n    area: manual\n    match:\n      subject: sygedagpenge\n',
    );
    expect(withRule).not.toBe(original);
    writeFileSync(routingFile, withRule);
    await waitForEvent(daemon, 'routing-reloaded', 60_000);
    drop(config.inboxDir, '2.M2P1.new', sickPayComplaint.replace('<sick-1@', '<sick-2@'));
    await waitFor(
      () => maildirFiles(subfolderPath(config.inboxDir, 'Manuel fordeling')).length === 1,
    );
    expect(maildirFiles(subfolderPath(config.inboxDir, 'Beskæftigelse'))).toHaveLength(1);

    const metrics = (await httpGet(port, '/metrics')).body;
    expect(
      sample(metrics, 'postrobot_routing_reloads_total{result="rejected"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(metrics, 'postrobot_routing_reloads_total{result="ok"}')).toBe(1);
    expect(await daemon.stop()).toBe(0);
  });

  it('in shadow mode decides and records every mail with reasons, moves nothing, and going live does not process them again', () => {
    const file = configIn(dir);
    const config = loadConfig(file, {});
    const seeded = ['a', 'b', 'c'].map((k, i) =>
      mail(
        { Subject: `Klage over stop af sygedagpenge ${k}`, 'Message-ID': `<shadow-${k}@x.dk>` },
        sickPayComplaint.split('\n\n')[1]! + ` ${i}`,
      ),
    );
    for (const sub of ['new', 'cur', 'tmp'])
      mkdirSync(join(config.inboxDir, sub), { recursive: true });
    for (const [i, raw] of seeded.entries()) drop(config.inboxDir, `${i}.M${i}P1.shadow`, raw);
    expect(runCli(['run', '--once', '--shadow', '--config', file]).status).toBe(0);
    const folders = (): string[] => readdirSync(config.inboxDir).filter((n) => n.startsWith('.'));
    expect(folders()).toEqual([]);
    expect(maildirFiles(config.inboxDir)).toHaveLength(3);

    const report = runCli(['shadow-report', '--json', '--config', file]);
    expect(report.status).toBe(0);
    const shadow = JSON.parse(report.stdout) as {
      mails: number;
      moves: Record<string, number>;
      decisions: { reason: string | null }[];
    };
    expect(shadow.mails).toBe(3);
    expect(Object.values(shadow.moves).reduce((a, b) => a + b, 0)).toBe(3);
    expect(shadow.decisions.every((d) => d.reason !== null)).toBe(true);

    // Live from now on: the three are known and left alone; new mail is acted on.
    drop(config.inboxDir, '9.M9P1.live', sickPayComplaint);
    expect(runCli(['run', '--once', '--config', file]).status).toBe(0);
    expect(maildirFiles(config.inboxDir)).toHaveLength(3);
    expect(maildirFiles(subfolderPath(config.inboxDir, 'Beskæftigelse'))).toHaveLength(1);
    const { journal } = openJournal(config);
    try {
      const messages = journal.listMessages({});
      expect(messages).toHaveLength(4);
      expect(messages.filter((m) => m.shadow)).toHaveLength(3);
      expect(
        messages.filter((m) => m.shadow).every((m) => journal.actionsFor(m.id).length === 0),
      ).toBe(true);
    } finally {
      journal.close();
    }
  });
});
