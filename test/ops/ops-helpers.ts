import { spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, startCli, waitFor } from '../helpers.js';

/** A GET on 127.0.0.1; resolves with the status and the body. */
export function httpGet(
  port: number,
  path: string,
): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          type: String(res.headers['content-type'] ?? ''),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** The value of one Prometheus sample (name with its labels as written), or undefined. */
export function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** A daemon started from the CLI, with its output collected. */
export interface RunningDaemon {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  stop: () => Promise<number | null>;
}

export function startDaemon(args: string[], env: Record<string, string> = {}): RunningDaemon {
  const child = startCli(['run', ...args], env);
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    exited,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Waits until the daemon logged a line with this event. */
export async function waitForEvent(
  daemon: RunningDaemon,
  event: string,
  timeoutMs = 30_000,
): Promise<void> {
  await waitFor(() => daemon.output().includes(`"event":"${event}"`), timeoutMs, 50);
}

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The DOM of a page after Chromium loaded and ran it (Debian's chromium). */
export function chromiumDom(file: string): string {
  const profile = mkdtempSync(join(tmpdir(), 'postrobot-chromium-'));
  try {
    const result = spawnSync(
      '/usr/bin/chromium',
      [
        ...CHROMIUM_FLAGS,
        `--user-data-dir=${profile}`,
        '--virtual-time-budget=5000',
        '--dump-dom',
        `file://${file}`,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (result.status !== 0)
      throw new Error(`chromium failed (${result.status}): ${result.stderr.slice(-500)}`);
    return result.stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Copies `count` fixture mails (a mix of areas, stable order) into a Maildir's new/. */
export function seedInbox(inboxDir: string, count: number, from = FIXTURES): number {
  mkdirSync(join(inboxDir, 'new'), { recursive: true });
  mkdirSync(join(inboxDir, 'cur'), { recursive: true });
  mkdirSync(join(inboxDir, 'tmp'), { recursive: true });
  const folders = readdirSync(from)
    .filter((name) => name !== 'scenarios')
    .sort();
  const lists = folders.map((folder) =>
    readdirSync(join(from, folder))
      .filter((n) => n.endsWith('.eml'))
      .sort()
      .map((n) => join(from, folder, n)),
  );
  let copied = 0;
  for (let i = 0; copied < count && lists.some((list) => i < list.length); i += 1) {
    for (const list of lists) {
      const file = list[i];
      if (!file || copied >= count) continue;
      copyFileSync(
        file,
        join(inboxDir, 'new', `17000000${String(copied).padStart(4, '0')}.M${copied}P1.seed`),
      );
      copied += 1;
    }
  }
  return copied;
}
