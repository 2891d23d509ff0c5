/**
 * Issue 3's benchmark: mails delivered to a private Dovecot by LMTP (as the MTA would)
 * while the router runs with IDLE; mails routed per second and the delay from delivery
 * to the MOVE (p50, p99). Targets: ≥ 50 mails/s and p99 ≤ 2 s without OCR, 2 cores.
 *
 * postrobot runs as in production: the default model (models/default, the real
 * classifier), the default routing, ledger and fsyncs, OCR off. Two deliveries:
 * - burst: as fast as Dovecot takes it (4 LMTP connections) — the throughput figure;
 * - paced: a steady 50 mails/s — the latency figure at the target rate.
 * The peer, measured in the same run on a fresh Dovecot each time: a bare imapflow loop
 * that moves each new mail to a folder (no ledger, no fsync, no classification) — the
 * floor postrobot's safety costs are measured against.
 *
 * Delivery runs in a child process (imap-delivery.ts), as the MTA is another process in
 * production; the CPU time of this process while the mails are routed, per mail, is
 * printed too (the router's own cost, whatever else runs on the machine). The machine's load average is printed with every figure: on a
 * shared 2-core machine the figures move with it.
 *
 * BENCH_IMAP_MAILS (default 2000), BENCH_IMAP_RATE (paced rate, default 50),
 * BENCH_IMAP_ONLY=postrobot|peer, BENCH_IMAP_MODES=burst,paced, BENCH_LOG=file (the
 * daemon's log; BENCH_LOG_LEVEL=debug adds per-chunk timings).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImapFlow } from 'imapflow';
import { loadModelOrRulesOnly } from '../src/cli/model.js';
import { loadConfig } from '../src/config/load.js';
import { packageRoot } from '../src/config/paths.js';
import { createRuntime } from '../src/daemon/main.js';
import { createLogger, silentLogger } from '../src/log/logger.js';
import { Dovecot, PASSWORD, USER } from '../test/imap/dovecot.js';
import type { DeliveryJob } from './imap-delivery.js';

const COUNT = Number(process.env.BENCH_IMAP_MAILS ?? 2000);
const PACED_RATE = Number(process.env.BENCH_IMAP_RATE ?? 50);
const ONLY = process.env.BENCH_IMAP_ONLY ?? '';
const MODES = (process.env.BENCH_IMAP_MODES ?? 'burst,paced').split(',') as Mode[];
/** LMTP connections of the delivery (the MTA's). */
const CONNECTIONS = 4;

type Mode = 'burst' | 'paced';

interface Figures {
  /** Mails routed per second: all of them, from the first delivery to the last MOVE. */
  rate: number;
  /** Mails per second Dovecot accepted by LMTP. */
  deliveryRate: number;
  p50: number;
  p99: number;
  max: number;
  seconds: number;
  load: [number, number];
  /** CPU time of this process (the router; delivery is another process) per mail. */
  cpuMsPerMail: number;
}

function sampleMails(): string[] {
  const root = join(packageRoot(), 'fixtures', 'mails');
  const files = readdirSync(root)
    .filter((d) => d !== 'scenarios')
    .sort()
    .flatMap((d) =>
      readdirSync(join(root, d))
        .sort()
        .map((f) => join(root, d, f)),
    );
  return Array.from({ length: COUNT }, (_, i) => {
    const raw = readFileSync(files[i % files.length]!, 'latin1');
    // A unique Message-ID per copy, so that no copy is taken for a duplicate of another.
    return raw.replace(/^Message-ID:.*$/im, `Message-ID: <bench-${i}@bench.postrobot>`);
  });
}

const idOf = (index: number): string => `<bench-${index}@bench.postrobot>`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

interface Delivery {
  /** Delivery time per Message-ID, filled in as Dovecot accepts each mail. */
  at: Map<string, number>;
  started: number;
  finished: Promise<number>;
}

/** Starts delivering from a child process; `finished` resolves with the time the last mail was accepted. */
async function startDelivery(dovecot: Dovecot, mails: string[], mode: Mode): Promise<Delivery> {
  const job: DeliveryJob = {
    lmtpPort: dovecot.lmtpPort,
    raws: mails,
    connections: CONNECTIONS,
    ...(mode === 'paced' ? { perSecond: PACED_RATE } : {}),
  };
  const child = fork(fileURLToPath(new URL('./imap-delivery.js', import.meta.url)), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const at = new Map<string, number>();
  let ready: () => void = () => undefined;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const finished = new Promise<number>((resolve, reject) => {
    child.on('message', (m: { index?: number; at?: number; done?: boolean; ready?: boolean }) => {
      if (m.ready) ready();
      else if (m.done) resolve(Date.now());
      else if (m.index !== undefined && m.at !== undefined) at.set(idOf(m.index), m.at);
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`delivery process exited with ${code}`));
    });
  });
  await isReady;
  const started = Date.now();
  child.send(job);
  return { at, started, finished };
}

function figures(
  delivery: Delivery,
  deliveredAll: number,
  movedAt: Map<string, number>,
  load: number,
  cpu: NodeJS.CpuUsage,
): Figures {
  const delays = [...movedAt.entries()]
    .map(([id, at]) => at - (delivery.at.get(id) ?? NaN))
    .filter((d) => Number.isFinite(d))
    .sort((a, b) => a - b);
  const last = Math.max(...movedAt.values());
  const seconds = (last - delivery.started) / 1000;
  return {
    rate: movedAt.size / seconds,
    deliveryRate: movedAt.size / ((deliveredAll - delivery.started) / 1000),
    p50: percentile(delays, 50),
    p99: percentile(delays, 99),
    max: delays[delays.length - 1] ?? NaN,
    seconds,
    load: [load, loadavg()[0]!],
    cpuMsPerMail: (cpu.user + cpu.system) / 1000 / movedAt.size,
  };
}

async function waitUntil(check: () => boolean, what: string, limitMs: number): Promise<void> {
  const until = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`${what}: not done after ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function benchPostrobot(mails: string[], mode: Mode): Promise<Figures> {
  const dovecot = new Dovecot();
  const dir = mkdtempSync(join(tmpdir(), 'postrobot-bench-'));
  await dovecot.start();
  try {
    const file = join(dir, 'postrobot.yaml');
    writeFileSync(
      file,
      [
        `dataDir: ${join(dir, 'var')}`,
        `routingFile: ${join(packageRoot(), 'config', 'routing.yaml')}`,
        `model:\n  dir: ${join(packageRoot(), 'models', 'default')}`,
        'log:\n  level: warn',
        'source:\n  kind: imap\n  pollIntervalSeconds: 1',
        'metrics:\n  enabled: false',
        'notices:\n  enabled: false',
        'ocr:\n  enabled: false',
      ].join('\n') + '\n',
    );
    const env = { POSTROBOT_IMAP_URL: dovecot.imapUrl, POSTROBOT_IMAP_PASSWORD: PASSWORD };
    const config = loadConfig(file, env);
    const log = process.env.BENCH_LOG
      ? createLogger({
          level: process.env.BENCH_LOG_LEVEL ?? 'info',
          pretty: false,
          destination: process.env.BENCH_LOG,
        })
      : silentLogger();
    const model = await loadModelOrRulesOnly(config.modelDir, log);
    if (!model) throw new Error(`the default model in ${config.modelDir} cannot be loaded`);
    const runtime = createRuntime(config, log, { model });
    const loop = runtime.daemon.run();
    const load = loadavg()[0]!;
    const delivery = await startDelivery(dovecot, mails, mode);
    const cpuStart = process.cpuUsage();
    const journal = runtime.journal;
    await waitUntil(
      () => (journal.stats().byStatus.done ?? 0) === mails.length,
      'postrobot',
      COUNT * 1000,
    );
    const cpu = process.cpuUsage(cpuStart);
    const deliveredAll = await delivery.finished;
    const movedAt = new Map<string, number>();
    for (const message of journal.listMessages({})) {
      const move = journal.actionsFor(message.id).find((a) => a.kind === 'move');
      if (move?.doneAt && message.messageId)
        movedAt.set(message.messageId, new Date(move.doneAt).getTime());
    }
    await runtime.close();
    await loop;
    return figures(delivery, deliveredAll, movedAt, load, cpu);
  } finally {
    await dovecot.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchBareImapflow(mails: string[], mode: Mode): Promise<Figures> {
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
    const load = loadavg()[0]!;
    const delivery = await startDelivery(dovecot, mails, mode);
    const cpuStart = process.cpuUsage();
    await waitUntil(() => movedAt.size >= mails.length, 'peer', COUNT * 1000);
    const cpu = process.cpuUsage(cpuStart);
    const deliveredAll = await delivery.finished;
    stop = true;
    await mover;
    await client.logout();
    return figures(delivery, deliveredAll, movedAt, load, cpu);
  } finally {
    await dovecot.destroy();
  }
}

function print(name: string, r: Figures): void {
  const ms = (n: number): string => String(Math.round(n)).padStart(6);
  process.stdout.write(
    `${name.padEnd(30)} ${r.rate.toFixed(1).padStart(6)} mails/s routed  delivery→MOVE p50 ${ms(r.p50)} ms  p99 ${ms(r.p99)} ms  max ${ms(r.max)} ms  CPU ${r.cpuMsPerMail.toFixed(1)} ms/mail  (${r.seconds.toFixed(1)} s; delivered at ${r.deliveryRate.toFixed(1)}/s; load ${r.load[0].toFixed(2)} → ${r.load[1].toFixed(2)})\n`,
  );
}

export async function run(): Promise<void> {
  const mails = sampleMails();
  const [one, five, fifteen] = loadavg();
  process.stdout.write(
    `${COUNT} mails (fixtures, unique Message-IDs) delivered by LMTP while the router runs (IDLE).\n` +
      `postrobot: default model, default routing, ledger + fsync, OCR off. Load average at start: ${one!.toFixed(2)} ${five!.toFixed(2)} ${fifteen!.toFixed(2)} (2 cores).\n` +
      `burst: as fast as Dovecot takes them (${CONNECTIONS} LMTP connections); paced: ${PACED_RATE} mails/s.\n`,
  );
  for (const mode of MODES) {
    const label = mode === 'burst' ? 'burst' : `paced ${PACED_RATE}/s`;
    if (ONLY !== 'peer') print(`postrobot, ${label}`, await benchPostrobot(mails, mode));
    if (ONLY !== 'postrobot')
      print(`peer (bare imapflow), ${label}`, await benchBareImapflow(mails, mode));
  }
  process.stdout.write(
    'Targets: ≥ 50 mails/s routed (burst) and p99 ≤ 2000 ms (paced at 50/s), without OCR, on 2 cores.\n',
  );
}
