import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { openJournal } from '../../src/daemon/main.js';
import { createLogger } from '../../src/log/logger.js';
import { runRetention } from '../../src/ops/retention.js';
import { mail } from '../foundation/mails.js';
import { configIn, runCli, tempDir } from '../helpers.js';
import { seedInbox } from './ops-helpers.js';

/** Synthetic CPR numbers (no real person's). */
const CPR = '120384-1234';
const CPR_DIGITS = '1203841234';
const OTHER_CPR = '010101-4321';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('audit queries', { timeout: 180_000 }, () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('lists every event touching mail that mentions a CPR number, without the number reaching output, logs or the journal', () => {
    const file = configIn(dir);
    const config = loadConfig(file, {});
    seedInbox(config.inboxDir, 4);
    writeFileSync(
      join(config.inboxDir, 'new', '5.M5P1.cpr'),
      mail(
        { Subject: 'Klage over boligstøtte', 'Message-ID': '<cpr-a@x.dk>' },
        `Mit cpr-nummer er ${CPR}. Sagsnr. 24-300011.`,
      ),
    );
    writeFileSync(
      join(config.inboxDir, 'new', '6.M6P1.cpr'),
      mail(
        { Subject: 'Opfølgning', 'Message-ID': '<cpr-b@x.dk>' },
        `Vedr. ${CPR.replace('-', '')}: jeg venter stadig.`,
      ),
    );
    const run = runCli(['run', '--once', '--config', file], { POSTROBOT_LOG_LEVEL: 'debug' });
    expect(run.status).toBe(0);

    const found = runCli(['audit', '--person', CPR, '--json', '--config', file], {
      POSTROBOT_LOG_LEVEL: 'debug',
    });
    expect(found.stderr).toBe('');
    expect(found.status).toBe(0);
    const result = JSON.parse(found.stdout) as {
      messages: { id: number }[];
      events: { kind: string; messageId: number }[];
    };
    expect(result.messages).toHaveLength(2);
    const ids = result.messages.map((m) => m.id);
    expect(result.events.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['received', 'decided', 'action-done']),
    );
    expect(result.events.every((e) => ids.includes(e.messageId))).toBe(true);

    const text = runCli(['audit', '--person', CPR_DIGITS, '--config', file]);
    expect(text.stdout).toMatch(/audit by person \[CPR\]: 2 mails/);
    const none = runCli(['audit', '--person', OTHER_CPR, '--json', '--config', file]);
    expect(JSON.parse(none.stdout).messages).toEqual([]);
    expect(runCli(['audit', '--person', '12345', '--config', file]).status).toBe(2);

    for (const output of [run, found, text, none])
      for (const stream of [output.stdout, output.stderr]) {
        expect(stream).not.toContain(CPR);
        expect(stream).not.toContain(CPR_DIGITS);
      }
    // The journal holds keyed hashes, never the number (the store and the folders hold the mail as it came).
    const journalFiles = filesUnder(config.dataDir).filter((f) => f.includes('journal.sqlite'));
    expect(journalFiles.length).toBeGreaterThan(0);
    for (const f of journalFiles) {
      const bytes = readFileSync(f).toString('latin1');
      expect(bytes.includes(CPR_DIGITS) || bytes.includes(CPR), f).toBe(false);
    }
    // Asking is itself on the audit trail, without the number.
    const { journal } = openJournal(config);
    try {
      const queries = journal.events({ limit: 50 }).filter((e) => e.kind === 'audit-query');
      expect(queries.length).toBe(3); // the malformed number was refused before any look-up
      expect(queries[0]!.actor).toMatch(/^user:/);
    } finally {
      journal.close();
    }
  });

  it('lists the events of a case and of one mail', () => {
    const file = configIn(dir);
    const config = loadConfig(file, {});
    seedInbox(config.inboxDir, 0);
    writeFileSync(
      join(config.inboxDir, 'new', '1.M1P1.a'),
      mail({ Subject: 'Sagsnr. 24-300011', 'Message-ID': '<c-1@x.dk>' }, 'Tak.'),
    );
    expect(runCli(['run', '--once', '--config', file]).status).toBe(0);
    const byCase = JSON.parse(
      runCli(['audit', '--case', '24-300011', '--json', '--config', file]).stdout,
    );
    expect(byCase.messages).toHaveLength(1);
    expect(byCase.events.map((e: { kind: string }) => e.kind)).toEqual(
      expect.arrayContaining(['received', 'case-created', 'journalised', 'decided', 'action-done']),
    );
    const byMessage = runCli([
      'audit',
      '--message',
      String(byCase.messages[0].id),
      '--config',
      file,
    ]);
    expect(byMessage.stdout).toMatch(/audit by message \d+: 1 mails/);
    expect(runCli(['audit', '--config', file]).status).toBe(2);
  });
});

describe('retention', { timeout: 180_000 }, () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('deletes raw mail, documents and their files, audit events and old log files after their periods, and logs counts only', () => {
    const file = configIn(dir);
    const config = loadConfig(file, {});
    seedInbox(config.inboxDir, 12);
    expect(runCli(['run', '--once', '--config', file]).status).toBe(0);
    const logDir = join(dir, 'logs');
    mkdirSync(logDir);
    for (const name of ['postrobot.log', 'postrobot.log.1.gz', 'notes.txt'])
      writeFileSync(join(logDir, name), 'x\n');
    const old = new Date(Date.now() - 5 * 86_400_000);
    utimesSync(join(logDir, 'postrobot.log.1.gz'), old, old);
    utimesSync(join(logDir, 'notes.txt'), old, old);
    const { journal, blobs } = openJournal(config);
    try {
      const before = journal.stats();
      expect(before.documents).toBeGreaterThan(0);
      const emls = filesUnder(blobs.root).filter((f) => f.endsWith('.eml'));
      expect(emls.length).toBe(12);
      const lines: string[] = [];
      const log = createLogger({
        level: 'info',
        pretty: false,
        stream: new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }),
      });
      const settings = {
        rawMailDays: 30,
        documentsDays: 365,
        eventsDays: 365,
        logsDays: 30,
        logDir,
        hour: 3,
      };
      // Nothing is old enough yet.
      const now = runRetention(journal, blobs, settings, new Date(), log);
      expect(now).toMatchObject({ rawMails: 0, documents: 0, events: 0, files: 0 });

      // 40 days on: raw mail is past its 30 days, documents and events are not.
      const later = runRetention(
        journal,
        blobs,
        settings,
        new Date(Date.now() + 40 * 86_400_000),
        log,
      );
      expect(later.rawMails).toBe(12);
      // 40 days on, both log files are past their 30 days; a file that is not a log stays.
      expect(later.logFiles).toBe(2);
      expect(readdirSync(logDir).sort()).toEqual(['notes.txt']);
      expect(later.documents).toBe(0);
      expect(filesUnder(blobs.root).filter((f) => f.endsWith('.eml'))).toEqual([]);
      expect(journal.stats().documents).toBe(before.documents);

      // Two years on: documents of quiet cases, new post and audit events go too.
      const much = runRetention(
        journal,
        blobs,
        settings,
        new Date(Date.now() + 800 * 86_400_000),
        log,
      );
      expect(much.documents).toBe(before.documents);
      expect(much.events).toBeGreaterThan(0);
      expect(journal.stats().documents).toBe(0);
      expect(filesUnder(blobs.root).filter((f) => statSync(f).isFile())).toEqual([]);
      const done = lines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.event === 'retention-done');
      expect(done).toHaveLength(3);
      const standard = ['app', 'level', 'time', 'msg', 'event', 'pid', 'hostname'];
      for (const line of done)
        for (const [key, value] of Object.entries(line))
          if (!standard.includes(key)) expect(typeof value, key).toBe('number');
    } finally {
      journal.close();
    }
  });

  it('runs from the command line with the configured periods, and keeps everything by default', () => {
    const file = configIn(dir, { retention: '\n  rawMailDays: 1' });
    const config = loadConfig(file, {});
    seedInbox(config.inboxDir, 3);
    expect(runCli(['run', '--once', '--config', file]).status).toBe(0);
    const result = runCli(['retention', 'run', '--config', file]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^rawMails: 0$/m);
    expect(result.stdout).toMatch(/^documents: 0$/m);
  });
});
