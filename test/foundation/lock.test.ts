import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InstanceLock } from '../../src/daemon/lock.js';
import { ROOT, tempDir, waitFor } from '../helpers.js';

const CHILD = join(ROOT, 'test', 'foundation', 'start-together.ts');
/** Every child started, so that none outlives a failed test. */
const started: ChildProcess[] = [];

function child(args: string[]): {
  process: ChildProcess;
  result: Promise<{ code: number | null; line: string }>;
} {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  started.push(proc);
  let out = '';
  proc.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const result = new Promise<{ code: number | null; line: string }>((resolve) =>
    proc.on('exit', (code) => resolve({ code, line: out.trim() })),
  );
  return { process: proc, result };
}

/** Children that all act at the same moment, a few seconds from now (tsx takes its time to start). */
function together(count: number, args: (goAt: number) => string[]): ReturnType<typeof child>[] {
  const goAt = Date.now() + 4_000;
  return Array.from({ length: count }, () => child(args(goAt)));
}

describe('the single-instance lock', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const proc of started.splice(0)) if (proc.exitCode === null) proc.kill('SIGKILL');
    cleanups.splice(0).forEach((cleanup) => cleanup());
  });

  function dataDir(): string {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    return dir;
  }

  it('GIVEN eight processes that take it at the same moment, THEN exactly one holds it and the others are refused naming its pid', async () => {
    const dir = dataDir();
    for (let round = 0; round < 3; round += 1) {
      // The winner holds the lock until it is stopped, so that a child that starts late
      // on a loaded machine still meets a held lock: it must be refused, never win a
      // lock that was already let go.
      const children = together(8, (goAt) => ['lock', dir, String(goAt), '600000']);
      const exited: { code: number | null; line: string }[] = [];
      for (const c of children) void c.result.then((r) => exited.push(r));
      await waitFor(() => exited.length === 7, 60_000);
      const holders = children.filter((c) => c.process.exitCode === null);
      expect(holders).toHaveLength(1);
      const owner = String(holders[0]!.process.pid);
      for (const refused of exited) {
        expect(refused.code).toBe(1);
        expect(refused.line).toMatch(/already running on the test/);
        // The owner's pid file is written just after the lock is taken; a refusal a
        // moment before that names no pid (the last round's holder is dead), never a wrong one.
        const named = /\(pid (\d+)\)/.exec(refused.line)?.[1];
        if (named !== undefined) expect(named).toBe(owner);
      }
      holders[0]!.process.kill('SIGTERM');
      await holders[0]!.result;
    }
    expect(statSync(join(dir, 'postrobot.lock.db')).mode & 0o777).toBe(0o600);
  }, 90_000);

  it('GIVEN the holder is killed with SIGKILL, THEN the next process takes the lock at once', async () => {
    const dir = dataDir();
    const holder = child(['lock', dir, '0', '600000']);
    await new Promise<void>((resolve) => holder.process.stdout?.once('data', () => resolve()));
    expect(existsSync(join(dir, 'postrobot.pid'))).toBe(true);
    const blocked = await child(['lock', dir, '0', '0']).result;
    expect(blocked.line).toContain(`(pid ${holder.process.pid}) is already running`);
    holder.process.kill('SIGKILL');
    await holder.result;
    const next = await child(['lock', dir, '0', '0']).result;
    expect(next).toEqual({ code: 0, line: expect.stringMatching(/^held \d+$/) });
  }, 60_000);

  it('is refused within the same process while held, taken again after release, and leaves no pid file', () => {
    const dir = dataDir();
    const files = [join(dir, 'postrobot.lock.db'), join(dir, 'postrobot.pid'), 'here'] as const;
    const first = new InstanceLock(...files);
    first.acquire();
    expect(readFileSync(files[1], 'utf8').trim()).toBe(String(process.pid));
    expect(() => new InstanceLock(...files).acquire()).toThrow(
      `another postrobot (pid ${process.pid}) is already running on here`,
    );
    first.release();
    expect(existsSync(files[1])).toBe(false);
    const second = new InstanceLock(...files);
    second.acquire();
    second.release();
    // A lock file that is not one (written over by hand) is refused with what to do.
    writeFileSync(files[0], 'not a database, but long enough to be read as a header\n'.repeat(4));
    expect(() => new InstanceLock(...files).acquire()).toThrow(
      /cannot take the lock .*postrobot\.lock\.db \(file is not a database\); if no postrobot is running on here, remove that file/,
    );
  });

  it('GIVEN six processes opening a new journal at the same moment, THEN each opens it and the schema is made once', async () => {
    const dir = dataDir();
    const results = await Promise.all(
      together(6, (goAt) => ['journal', dir, String(goAt)]).map((c) => c.result),
    );
    expect(results).toEqual(Array.from({ length: 6 }, () => ({ code: 0, line: 'opened' })));
  }, 60_000);
});
