import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { loadConfig, type Config } from '../../src/config/load.js';
import { configIn, FIXTURES, ROOT, tempDir } from '../helpers.js';
import { Dovecot, PASSWORD } from './dovecot.js';
import { SmtpSink } from './smtp-sink.js';

export interface ImapTestAccount {
  dovecot: Dovecot;
  /** Null when the tests asked for no SMTP sink. */
  sink: SmtpSink | null;
  /** The running test's own temp folder. */
  dir(): string;
}

/**
 * The set-up every IMAP test file shares, as hooks of the calling describe block: a
 * private Dovecot (and an SMTP sink) started once and stopped after the last test; per
 * test a fresh temp folder and an empty sink (accepting), and afterwards every folder of
 * the account emptied and the temp folder removed. Register a file's own afterEach (stop
 * a daemon, kill children) after calling this: vitest runs after-hooks in reverse order,
 * so the daemon is gone before its folders are emptied.
 */
export function imapTestAccount(
  options: { sink?: boolean; dovecot?: ConstructorParameters<typeof Dovecot>[0] } = {},
): ImapTestAccount {
  const dovecot = new Dovecot(options.dovecot ?? {});
  const sink = options.sink === false ? null : new SmtpSink();
  let current: { dir: string; cleanup: () => void } | null = null;
  beforeAll(async () => {
    await dovecot.start();
    await sink?.start();
  });
  afterAll(async () => {
    await sink?.stop();
    await dovecot.destroy();
  });
  beforeEach(() => {
    current = tempDir();
    if (sink) {
      sink.received.length = 0;
      sink.mode = 'accept';
    }
  });
  afterEach(() => {
    for (const folder of dovecot.folders())
      dovecot.doveadm('expunge', '-u', 'robot', 'mailbox', folder, 'all');
    current?.cleanup();
    current = null;
  });
  return {
    dovecot,
    sink,
    dir: () => {
      if (!current) throw new Error('dir() is only there while a test runs');
      return current.dir;
    },
  };
}

/** The areas whose routed mail is also forwarded by SMTP in these tests. */
export const FORWARDING_AREAS: Record<string, string> = {
  beskaeftigelse: 'beskaeftigelse@ast.dk',
  arbejdsskade: 'arbejdsskade@ast.dk',
  'boern-unge': 'boern-unge@ast.dk',
};

/** The default routing with forward addresses on a few areas. */
export function routingWithForwards(): string {
  const text = readFileSync(join(ROOT, 'config', 'routing.yaml'), 'utf8');
  return text.replace(
    /(- id: ([a-z-]+)\n(?:\s+\w+:.*\n)*?\s+)addresses: \[\]/g,
    (whole, head: string, id: string) =>
      FORWARDING_AREAS[id] ? `${head}addresses: [${FORWARDING_AREAS[id]}]` : whole,
  );
}

export interface ImapTestConfig {
  file: string;
  env: Record<string, string>;
  config: Config;
}

/** A config in `dir` reading the Dovecot's INBOX and forwarding to the sink. */
export function imapConfig(
  dir: string,
  dovecot: Dovecot,
  sink: SmtpSink | null,
  extra: Record<string, string> = {},
): ImapTestConfig {
  const file = configIn(
    dir,
    {
      source: '\n  kind: imap\n  pollIntervalSeconds: 0.5',
      imap: '\n  reconnectBaseSeconds: 0.1\n  reconnectMaxSeconds: 1\n  socketTimeoutSeconds: 30',
      outbox: '\n  retryDelaysSeconds: [0.2, 0.5, 1]\n  maxAttempts: 50',
      // Several daemons run at once in these tests; the metrics endpoint has its own tests.
      metrics: '\n  enabled: false',
      notices: '\n  enabled: false',
      ...extra,
    },
    routingWithForwards(),
  );
  const env: Record<string, string> = {
    POSTROBOT_IMAP_URL: dovecot.imapUrl,
    POSTROBOT_IMAP_PASSWORD: PASSWORD,
  };
  if (sink) env.POSTROBOT_SMTP_URL = `smtp://127.0.0.1:${sink.port}`;
  return { file, env, config: loadConfig(file, env) };
}

/** Realistic mails from the fixtures (the sorted areas and manual), `count` of them, in a stable order. */
export function fixtureBatch(count: number): { raw: Buffer; messageId: string }[] {
  const folders = readdirSync(FIXTURES)
    .filter((name) => name !== 'scenarios')
    .sort();
  const files = folders.flatMap((folder) =>
    readdirSync(join(FIXTURES, folder))
      .sort()
      .map((name) => join(FIXTURES, folder, name)),
  );
  const picked: { raw: Buffer; messageId: string }[] = [];
  // Interleave areas so that a batch is a mix, as the inbox is.
  const byFolder = folders.map((folder) => files.filter((f) => f.includes(`/${folder}/`)));
  for (let i = 0; picked.length < count && i < 200; i += 1) {
    for (const list of byFolder) {
      const file = list[i];
      if (!file || picked.length >= count) continue;
      const raw = readFileSync(file);
      const messageId = /^message-id:\s*(<[^>]+>)/im.exec(raw.toString('latin1'))?.[1];
      if (messageId) picked.push({ raw, messageId });
    }
  }
  return picked;
}

export interface DestinationReport {
  inInbox: number;
  perMessageId: Map<string, string[]>;
}

/** Where every delivered mail is now: each Message-ID with the folders holding it. */
export function destinations(dovecot: Dovecot, messageIds: string[]): DestinationReport {
  const perMessageId = new Map<string, string[]>(messageIds.map((id) => [id, []]));
  for (const folder of dovecot.folders()) {
    if (folder === 'INBOX') continue;
    for (const id of dovecot.messageIds(folder)) perMessageId.get(id)?.push(folder);
  }
  return { inInbox: dovecot.count('INBOX'), perMessageId };
}

/** Every mail in exactly one destination, none lost; returns the offenders for a readable failure. */
export function misplaced(report: DestinationReport): string[] {
  return [...report.perMessageId.entries()]
    .filter(([, folders]) => folders.length !== 1)
    .map(([id, folders]) => `${id}: ${folders.join(', ') || 'nowhere'}`);
}

/** Forwards received per original (by the forward's deterministic Message-ID). */
export function forwardCounts(sink: SmtpSink): Map<string, number> {
  const counts = new Map<string, number>();
  for (const forward of sink.received)
    counts.set(forward.messageId, (counts.get(forward.messageId) ?? 0) + 1);
  return counts;
}
