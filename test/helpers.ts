import { spawnSync, spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
export const FIXTURES = join(ROOT, 'fixtures', 'mails');
export const CLI = join(ROOT, 'src', 'cli.ts');

/** A temp folder owned by one test; removed by the returned cleanup. */
export function tempDir(prefix = 'postrobot-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A copy of the default config folder whose data directory is inside `dir`. */
export function configIn(dir: string, main: Record<string, string> = {}, routing?: string): string {
  const configDir = join(dir, 'config');
  cpSync(join(ROOT, 'config'), configDir, { recursive: true });
  const lines = [
    `dataDir: ${join(dir, 'var')}`,
    `model:\n  dir: ${join(dir, 'no-model')}`,
    'log:\n  level: warn\n  format: json',
  ];
  for (const [key, value] of Object.entries(main)) lines.push(`${key}: ${value}`);
  writeFileSync(join(configDir, 'postrobot.yaml'), lines.join('\n') + '\n');
  if (routing !== undefined) writeFileSync(join(configDir, 'routing.yaml'), routing);
  return join(configDir, 'postrobot.yaml');
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

const CLEAN_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !key.startsWith('POSTROBOT_')),
);

/** Runs the postrobot CLI from source (through tsx) and waits for it. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 120_000,
): CliResult {
  const result = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    env: { ...CLEAN_ENV, ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts the CLI in the background (for the daemon). */
export function startCli(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    env: { ...CLEAN_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Mail files (not directories) in a Maildir folder's new/ and cur/. */
export function maildirFiles(dir: string): string[] {
  return ['new', 'cur'].flatMap((sub) =>
    existsSync(join(dir, sub)) ? readdirSync(join(dir, sub)).map((n) => join(dir, sub, n)) : [],
  );
}

export async function waitFor(
  check: () => boolean,
  timeoutMs = 20_000,
  stepMs = 100,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error('condition not met in time');
}
