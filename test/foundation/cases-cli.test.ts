import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configIn, runCli, tempDir } from '../helpers.js';

describe('the case register from the command line', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir()));
  afterEach(() => cleanup());

  it('imports known cases into the configured data directory and shows them', () => {
    const file = configIn(dir);
    const csv = join(dir, 'cases.csv');
    writeFileSync(
      csv,
      'caseNumber,area,caseworker\n2024-0100003,boern-unge,mette.holm@ast.dk\n25-400002,arbejdsskade,\n',
    );
    const imported = runCli(['case', 'import', csv, '--config', file]);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toContain('imported 2 cases');
    const cases = JSON.parse(runCli(['cases', '--json', '--config', file]).stdout) as {
      number: string;
      area: string;
    }[];
    expect(cases.map((c) => [c.number, c.area])).toEqual([
      ['24-100003', 'boern-unge'],
      ['25-400002', 'arbejdsskade'],
    ]);
    const one = runCli(['case', '24-100003', '--json', '--config', file]);
    expect(JSON.parse(one.stdout).caseworker).toBe('mette.holm@ast.dk');
  });

  it('refuses a row with an unknown area, naming the line', () => {
    const file = configIn(dir);
    const csv = join(dir, 'cases.csv');
    writeFileSync(csv, 'caseNumber,area,caseworker\n24-100003,boern,\n');
    const result = runCli(['case', 'import', csv, '--config', file]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/line 2.*unknown area "boern"/);
  });
});
