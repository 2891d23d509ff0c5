import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { configIn, runCli, tempDir } from '../helpers.js';
import { seedInbox } from './ops-helpers.js';

interface Simulation {
  replayed: number;
  changed: { current: string; proposed: string }[];
  perArea: { area: string; current: number; proposed: number }[];
}

describe('postrobot simulate', { timeout: 180_000 }, () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('replays the stored mail through a new routing file and counts the decisions that change, per area', () => {
    const file = configIn(dir);
    const config = loadConfig(file, {});
    const seeded = seedInbox(config.inboxDir, 40);
    expect(runCli(['run', '--once', '--config', file]).status).toBe(0);
    const routing = readFileSync(config.routingFile, 'utf8');

    const same = join(dir, 'same.yaml');
    writeFileSync(same, routing);
    const unchanged = runCli([
      'simulate',
      '--config',
      same,
      '--current',
      file,
      '--since',
      '7d',
      '--json',
    ]);
    expect(unchanged.stderr).not.toMatch(/"level":[56]0/);
    expect(unchanged.status).toBe(0);
    const none = JSON.parse(unchanged.stdout) as Simulation;
    expect(none.replayed).toBe(seeded);
    expect(none.changed).toEqual([]);

    // Everything about "klage" to a person: fewer routed, more manual.
    const stricter = join(dir, 'stricter.yaml');
    writeFileSync(
      stricter,
      routing.replace(
        /^rules:.*$/m,
        'rules:\n  - name: klager til en person\n    area: manual\n    match:\n      subject: klage\n',
      ),
    );
    const result = runCli([
      'simulate',
      '--config',
      stricter,
      '--current',
      file,
      '--since',
      '7d',
      '--json',
    ]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as Simulation;
    expect(report.changed.length).toBeGreaterThan(0);
    expect(report.changed.every((c) => c.proposed === 'manual')).toBe(true);
    const manual = report.perArea.find((row) => row.area === 'manual')!;
    expect(manual.proposed - manual.current).toBe(report.changed.length);
    const text = runCli(['simulate', '--config', stricter, '--current', file]);
    expect(text.stdout).toMatch(
      new RegExp(`decisions that would change: ${report.changed.length} `),
    );
    expect(text.stdout).toMatch(/^manual\s+\d+\s+\d+\s+\+\d+$/m);
  });

  it('refuses a broken new configuration with the same message as config check, exit code 2', () => {
    const file = configIn(dir);
    const broken = join(dir, 'broken.yaml');
    writeFileSync(
      broken,
      readFileSync(loadConfig(file, {}).routingFile, 'utf8').replace(
        'defaultThreshold: 0.9',
        'defaultThreshold: 7',
      ),
    );
    const result = runCli(['simulate', '--config', broken, '--current', file]);
    const check = runCli(['config', 'check', broken]);
    expect(result.status).toBe(2);
    expect(check.status).toBe(2);
    expect(result.stderr).toMatch(/defaultThreshold/);
    expect(check.stderr + check.stdout).toContain(
      result.stderr
        .replace(/^postrobot: /, '')
        .trim()
        .split('\n')[0]!
        .slice(0, 60),
    );
  });
});
