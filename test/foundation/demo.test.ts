import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { demoMails } from '../../src/daemon/demo.js';
import { openJournal } from '../../src/daemon/main.js';
import { subfolderPath } from '../../src/daemon/sources/maildir.js';
import {
  configIn,
  FIXTURES,
  maildirFiles,
  runCli,
  startCli,
  tempDir,
  waitFor,
} from '../helpers.js';
import { sickPayComplaint } from './mails.js';

describe('npm start on a fresh clone (run --demo)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it(
    'seeds the bundled mails, routes every one into exactly one folder and prints a summary',
    { timeout: 900_000 },
    () => {
      const file = configIn(dir);
      // The first sixty mails of each fixture folder and every scenario: the rest of the
      // training mail would only make the demo longer.
      const total = demoMails(FIXTURES).length;
      expect(total).toBeGreaterThan(600);
      expect(demoMails(FIXTURES).filter((f) => f.includes('/scenarios/'))).toHaveLength(
        readdirSync(join(FIXTURES, 'scenarios')).filter((n) => n.endsWith('.eml')).length,
      );
      // The whole example inbox, OCR and the model included: minutes on a loaded 2-core machine.
      const result = runCli(['run', '--demo', '--once', '--config', file], {}, 600_000);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/Routed per area/);
      expect(result.stdout).toMatch(/Manuel fordeling\s+\d+/);
      const config = loadConfig(file, {});
      expect(maildirFiles(config.inboxDir)).toHaveLength(0);
      const folders = readdirSync(config.inboxDir).filter((name) => name.startsWith('.'));
      const filed = folders.reduce(
        (sum, name) => sum + maildirFiles(join(config.inboxDir, name)).length,
        0,
      );
      expect(filed).toBe(total);
      const { journal } = openJournal(config);
      try {
        const stats = journal.stats();
        expect(Object.values(stats.byStatus).reduce((a, b) => a + b, 0)).toBe(total);
        expect(stats.pendingActions).toBe(0);
        expect(Object.values(stats.routedByArea).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
        expect(journal.listCases().some((c) => c.documents > 0)).toBe(true);
      } finally {
        journal.close();
      }
      const cases = runCli(['cases', '--json', '--config', file]);
      expect(cases.status).toBe(0);
      expect(JSON.parse(cases.stdout).length).toBeGreaterThan(0);
      // A second start does not seed again.
      const again = runCli(['run', '--demo', '--once', '--config', file], {}, 240_000);
      expect(again.status).toBe(0);
      expect(maildirFiles(config.inboxDir)).toHaveLength(0);
    },
  );

  it('watches the inbox until SIGTERM, finishes the mail in flight and exits 0', async () => {
    const file = configIn(dir, { source: '\n  pollIntervalSeconds: 0.2' });
    const config = loadConfig(file, {});
    const child = startCli(['run', '--config', file]);
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    await waitFor(() => existsSync(join(config.inboxDir, 'new')));
    await new Promise((r) => setTimeout(r, 500));
    writeFileSync(join(config.inboxDir, 'new', '1733000000.M1P1.live'), sickPayComplaint);
    await waitFor(() => maildirFiles(subfolderPath(config.inboxDir, 'Beskæftigelse')).length === 1);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const status = runCli(['status', '--json', '--config', file]);
    expect(JSON.parse(status.stdout).byStatus).toEqual({ done: 1 });
  });
});
