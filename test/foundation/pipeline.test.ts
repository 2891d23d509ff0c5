import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config/load.js';
import { createRuntime, openJournal, type Runtime } from '../../src/daemon/main.js';
import { subfolderPath } from '../../src/daemon/sources/maildir.js';
import { silentLogger } from '../../src/log/logger.js';
import { configIn, maildirFiles, tempDir } from '../helpers.js';
import { autoReply, broken, cprMail, followUp, sickPayComplaint } from './mails.js';

describe('the pipeline on the embedded Maildir inbox', () => {
  let dir: string;
  let cleanup: () => void;
  let config: Config;
  let runtime: Runtime | null = null;
  let counter = 0;

  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    config = loadConfig(configIn(dir), {});
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = null;
    cleanup();
  });

  function deliver(bytes: string | Buffer): string {
    counter += 1;
    const name = `17330000${counter}.M${counter}P1.test`;
    const inbox = config.inboxDir;
    if (!existsSync(join(inbox, 'new'))) start();
    writeFileSync(join(inbox, 'new', name), bytes);
    return name;
  }

  function start(shadow = false): Runtime {
    runtime ??= createRuntime(config, silentLogger(), { shadow });
    return runtime;
  }

  const folder = (name: string): string[] => maildirFiles(subfolderPath(config.inboxDir, name));

  it('routes a follow-up with a known case number to its case area and files it as akt 1', async () => {
    const rt = start();
    rt.journal.upsertCase(
      {
        number: '24-400011',
        area: 'arbejdsskade',
        caseworker: 'mette.holm@ast.dk',
        source: 'test',
      },
      new Date().toISOString(),
    );
    deliver(followUp);
    const summary = await rt.daemon.pass();
    expect(summary.outcomes.decided).toBe(1);
    expect(folder('Arbejdsskade')).toHaveLength(1);
    expect(maildirFiles(config.inboxDir)).toHaveLength(0);
    const [message] = rt.journal.listMessages({});
    expect(message).toMatchObject({
      status: 'done',
      decision: 'route',
      area: 'arbejdsskade',
      caseNumber: '24-400011',
      folder: 'Arbejdsskade',
    });
    expect(rt.journal.caseDocuments('24-400011').map((d) => [d.akt, d.kind])).toEqual([
      [1, 'mail'],
    ]);
    const kinds = rt.journal.events({ messageId: message!.id }).map((e) => e.kind);
    // arbejdsskade has a forward address, but no SMTP relay is configured here.
    expect(kinds).toEqual(['received', 'journalised', 'decided', 'forward-skipped', 'action-done']);
  });

  it('routes a new complaint by the evidence in the routing file, as new post in its area', async () => {
    const rt = start();
    deliver(sickPayComplaint);
    await rt.daemon.pass();
    const [message] = rt.journal.listMessages({});
    expect(message?.area).toBe('beskaeftigelse');
    expect(
      message?.reasons.some((r) => r.kind === 'evidence' && r.detail.includes('sygedagpenge')),
    ).toBe(true);
    expect(rt.journal.newPost('beskaeftigelse')).toHaveLength(1);
  });

  it('without an SMTP relay plans no forward and says so in the audit trail', async () => {
    const rt = start();
    deliver(sickPayComplaint);
    await rt.daemon.pass();
    const [message] = rt.journal.listMessages({});
    expect(message).toMatchObject({ status: 'done', decision: 'route', area: 'beskaeftigelse' });
    expect(rt.journal.actionsFor(message!.id).map((a) => a.kind)).toEqual(['move']);
    const skipped = rt.journal
      .events({ messageId: message!.id })
      .find((e) => e.kind === 'forward-skipped');
    expect(skipped?.detail).toMatchObject({ addresses: 1, reason: 'no SMTP relay configured' });
  });

  it('never forwards an auto-reply: it goes to "Manuel fordeling" with the loop-guard reason', async () => {
    const rt = start();
    deliver(autoReply);
    await rt.daemon.pass();
    expect(folder('Manuel fordeling')).toHaveLength(1);
    const [message] = rt.journal.listMessages({});
    expect(message?.automatic).toBe('auto-reply');
    expect(message?.reasons[0]?.kind).toBe('loop-guard');
    expect(rt.journal.actionsFor(message!.id).map((a) => a.kind)).toEqual(['move']);
  });

  it('quarantines a mail that cannot be parsed, with the reason, and goes on with the next', async () => {
    const rt = start();
    deliver(broken);
    deliver(sickPayComplaint);
    const summary = await rt.daemon.pass();
    expect(summary.outcomes).toMatchObject({ quarantined: 1, decided: 1 });
    expect(folder('Karantæne')).toHaveLength(1);
    const quarantined = rt.journal.listMessages({ status: 'quarantined' });
    expect(quarantined[0]).toMatchObject({ errorCode: 'MailUnparseable', decision: 'quarantine' });
    expect(
      rt.journal.events({ messageId: quarantined[0]!.id }).some((e) => e.kind === 'quarantined'),
    ).toBe(true);
    expect(rt.blobs.read(quarantined[0]!.sha256, 'eml').equals(broken)).toBe(true);
  });

  it('quarantines a mail above the size limit', async () => {
    config = {
      ...config,
      main: { ...config.main, limits: { ...config.main.limits, maxMessageBytes: 2048 } },
    };
    const rt = start();
    deliver(sickPayComplaint.replace('Kommunen', 'Kommunen '.repeat(400)));
    await rt.daemon.pass();
    expect(rt.journal.listMessages({})[0]?.errorCode).toBe('MailTooLarge');
  });

  it('links the same bytes seen twice and does not file them twice', async () => {
    const rt = start();
    deliver(sickPayComplaint);
    await rt.daemon.pass();
    deliver(sickPayComplaint);
    const summary = await rt.daemon.pass();
    expect(summary.outcomes.duplicate).toBe(1);
    const [first, second] = rt.journal.listMessages({});
    expect(second).toMatchObject({ status: 'duplicate', duplicateOf: first!.id });
    expect(rt.journal.messageDocuments(second!.id)).toHaveLength(0);
    expect(folder('Beskæftigelse')).toHaveLength(2);
  });

  it('in shadow mode records every decision and moves nothing', async () => {
    const rt = start(true);
    deliver(sickPayComplaint);
    deliver(autoReply);
    await rt.daemon.pass();
    expect(maildirFiles(config.inboxDir)).toHaveLength(2);
    const messages = rt.journal.listMessages({});
    expect(messages.every((m) => m.shadow && m.decision !== null)).toBe(true);
    expect(messages.flatMap((m) => rt.journal.actionsFor(m.id))).toHaveLength(0);
    // The next pass does not decide the same mail again.
    expect((await rt.daemon.pass()).outcomes.known).toBe(2);
  });

  it('decides at the next start a mail whose ledger row was committed just before a crash', async () => {
    let rt = start();
    deliver(sickPayComplaint);
    const [item] = await rt.source.list();
    const raw = await item!.read();
    const sha = rt.blobs.put(raw, 'eml');
    rt.journal.recordReceived(
      {
        locator: item!.locator,
        sha256: sha,
        size: raw.length,
        receivedAt: new Date().toISOString(),
      },
      null,
    );
    await rt.close();
    runtime = null;
    rt = start();
    await rt.daemon.resume();
    await rt.daemon.pass();
    const messages = rt.journal.listMessages({});
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ status: 'done', area: 'beskaeftigelse' });
    expect(folder('Beskæftigelse')).toHaveLength(1);
  });

  it('keeps stored mail and the journal private: files 0600, folders 0700', async () => {
    const rt = start();
    deliver(cprMail);
    await rt.daemon.pass();
    const [message] = rt.journal.listMessages({});
    const stored = rt.blobs.pathOf(message!.sha256, 'eml');
    expect(statSync(stored).mode & 0o777).toBe(0o600);
    expect(statSync(join(config.dataDir, 'store')).mode & 0o777).toBe(0o700);
    expect(statSync(config.dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(join(config.dataDir, 'journal.sqlite')).mode & 0o777).toBe(0o600);
  });

  it('keeps the audit trail append-only', async () => {
    const rt = start();
    deliver(sickPayComplaint);
    await rt.daemon.pass();
    await rt.close();
    runtime = null;
    const { journal } = openJournal(config);
    const db = (journal as unknown as { db: { prepare(sql: string): { run(): unknown } } }).db;
    expect(() => db.prepare("UPDATE events SET kind = 'x'").run()).toThrow(/append-only/);
    journal.close();
  });

  it('a second daemon on the same data directory refuses to start', () => {
    start();
    expect(() => createRuntime(config, silentLogger())).toThrow(/already running/);
  });

  it('never writes a CPR number into the ledger error or the audit trail', async () => {
    const rt = start();
    deliver(cprMail);
    await rt.daemon.pass();
    const [message] = rt.journal.listMessages({});
    const events = JSON.stringify(rt.journal.events({ messageId: message!.id }));
    expect(events).not.toContain('120384');
    expect(readFileSync(rt.blobs.pathOf(message!.sha256, 'eml'), 'utf8')).toContain('120384-1234');
  });
});
