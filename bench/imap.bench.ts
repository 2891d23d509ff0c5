/**
 * 2,000 mails delivered to a private Dovecot (LMTP, as the MTA would) while the daemon
 * runs with IDLE: mails routed per second and the delay from delivery to the MOVE (p50,
 * p99). The peer, measured in the same run on the same server: a bare imapflow loop that
 * moves each new mail to a folder with no ledger, no fsync and no classification — the
 * floor that postrobot's safety costs are measured against.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { loadConfig } from '../src/config/load.js';
import { packageRoot } from '../src/config/paths.js';
import { createRuntime } from '../src/daemon/main.js';
import { createLogger, silentLogger } from '../src/log/logger.js';
import { Dovecot, PASSWORD, USER } from '../test/imap/dovecot.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const COUNT = Number(process.env.BENCH_IMAP_MAILS ?? 2000);

function sampleMails(): string[] {
  const root = join(packageRoot(), 'fixtures', 'mails');
  const files = readdirSync(root)
    .filter((d) => d !== 'scenarios')
    .flatMap((d) => readdirSync(join(root, d)).map((f) => join(root, d, f)));
  return Array.from({ length: COUNT }, (_, i) => {
    const raw = readFileSync(files[i % files.length]!, 'latin1');
    // A unique Message-ID per copy, so that no copy is taken for a duplicate of another.
    return raw.replace(/^Message-ID:.*$/im, `Message-ID: <bench-${i}@bench.postrobot>`);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function deliverAll(dovecot: Dovecot, mails: string[]): Promise<Map<string, number>> {
  const delivered = new Map<string, number>();
  const raws = mails.map((mail) => Buffer.from(mail, 'latin1'));
  await dovecot.deliverMany(raws, 4, (index) =>
    delivered.set(`<bench-${index}@bench.postrobot>`, Date.now()),
  );
  return delivered;
}

async function benchPostrobot(
  mails: string[],
): Promise<{ rate: number; p50: number; p99: number; seconds: number }> {
  const dovecot = new Dovecot();
  const dir = mkdtempSync(join(tmpdir(), 'postrobot-bench-'));
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  await dovecot.start();
  try {
    const file = join(dir, 'postrobot.yaml');
    writeFileSync(
      file,
      [
        `dataDir: ${join(dir, 'var')}`,
        `routingFile: ${join(packageRoot(), 'config', 'routing.yaml')}`,
        `model:\n  dir: ${join(dir, 'no-model')}`,
        'log:\n  level: warn',
        'source:\n  kind: imap\n  pollIntervalSeconds: 1',
        'metrics:\n  enabled: false',
        'notices:\n  enabled: false',
      ].join('\n') + '\n',
    );
    const env = { POSTROBOT_IMAP_URL: dovecot.imapUrl, POSTROBOT_IMAP_PASSWORD: PASSWORD };
    const runtime = createRuntime(
      loadConfig(file, env),
      process.env.BENCH_LOG
        ? createLogger({ level: 'info', pretty: false, destination: process.env.BENCH_LOG })
        : silentLogger(),
    );
    const loop = runtime.daemon.run();
    const started = Date.now();
    const delivered = await deliverAll(dovecot, mails);
    const journal = runtime.journal;
    while (journal.stats().byStatus.done !== mails.length)
      await new Promise((r) => setTimeout(r, 200));
    const seconds = (Date.now() - started) / 1000;
    const delays = journal
      .listMessages({})
      .map((m) => {
        const move = journal.actionsFor(m.id).find((a) => a.kind === 'move');
        const at = m.messageId ? delivered.get(m.messageId) : undefined;
        return move?.doneAt && at ? new Date(move.doneAt).getTime() - at : NaN;
      })
      .filter((d) => Number.isFinite(d))
      .sort((a, b) => a - b);
    await runtime.daemon.stop();
    await loop;
    await runtime.close();
    return {
      rate: mails.length / seconds,
      p50: percentile(delays, 50),
      p99: percentile(delays, 99),
      seconds,
    };
  } finally {
    await dovecot.destroy();
    cleanup();
  }
}

async function benchBareImapflow(
  mails: string[],
): Promise<{ rate: number; p50: number; p99: number; seconds: number }> {
  const dovecot = new Dovecot();
  await dovecot.start();
  try {
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: dovecot.imapPort,
      secure: false,
      auth: { user: USER, pass: PASSWORD },
      logger: false,
      autoIdleDelay: 200,
    });
    client.on('error', () => undefined);
    await client.connect();
    await client.mailboxCreate('Routed').catch(() => undefined);
    await client.mailboxOpen('INBOX');
    const movedAt = new Map<string, number>();
    let stop = false;
    const mover = (async () => {
      while (!stop) {
        await client.noop();
        const uids = (await client.search({ all: true }, { uid: true })) || [];
        for (const uid of uids) {
          const message = await client.fetchOne(String(uid), { envelope: true }, { uid: true });
          await client.messageMove(String(uid), 'Routed', { uid: true });
          if (message && message.envelope?.messageId)
            movedAt.set(message.envelope.messageId, Date.now());
        }
        if (uids.length === 0) await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const started = Date.now();
    const delivered = await deliverAll(dovecot, mails);
    while (movedAt.size < mails.length) await new Promise((r) => setTimeout(r, 100));
    const seconds = (Date.now() - started) / 1000;
    stop = true;
    await mover;
    await client.logout();
    const delays = [...movedAt.entries()]
      .map(([id, at]) => at - (delivered.get(id) ?? at))
      .sort((a, b) => a - b);
    return {
      rate: mails.length / seconds,
      p50: percentile(delays, 50),
      p99: percentile(delays, 99),
      seconds,
    };
  } finally {
    await dovecot.destroy();
  }
}

export async function run(): Promise<void> {
  const mails = sampleMails();
  const print = (
    name: string,
    r: { rate: number; p50: number; p99: number; seconds: number },
  ): void => {
    process.stdout.write(
      `${name.padEnd(28)} ${r.rate.toFixed(1).padStart(7)} mails/s   delivery→MOVE p50 ${String(Math.round(r.p50)).padStart(5)} ms   p99 ${String(Math.round(r.p99)).padStart(6)} ms   (${r.seconds.toFixed(1)} s)\n`,
    );
  };
  process.stdout.write(
    `${COUNT} mails delivered by LMTP (4 connections) while the router runs (IDLE); no model.\n`,
  );
  print('postrobot (ledger, fsync)', await benchPostrobot(mails));
  print('peer: bare imapflow MOVE', await benchBareImapflow(mails));
  process.stdout.write(
    'Targets: p99 ≤ 2000 ms and ≥ 50 mails/s. Delivery: 4 LMTP connections, as fast as Dovecot takes them.\n',
  );
}
