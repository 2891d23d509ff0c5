import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/classifier/evaluate.js';
import { loadModel } from '../../src/classifier/index.js';
import { retrain } from '../../src/classifier/retrain.js';
import { curveSvg } from '../../src/classifier/svg.js';
import { FIXTURES, fixtureExamples, tempDir } from './helpers.js';

const temp = tempDir();
afterAll(() => temp.remove());

describe('evaluation and retraining', () => {
  it('reports accuracy, per-area figures, a confusion table and a curve from cross-validation', async () => {
    const examples = await fixtureExamples(20);
    const report = evaluate(examples, 3, { folds: 3 });
    expect(report.accuracy).toBeGreaterThan(0.5);
    expect(report.perArea.map((a) => a.area)).toEqual(report.labels);
    expect(report.confusion.flat().reduce((a, b) => a + b, 0)).toBe(examples.length);
    expect(report.precision).toBeGreaterThanOrEqual(0);
    const svg = curveSvg(report);
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('polyline');
  });

  it('replaces the model with confirmed triage mail only when coverage is not worse, and reports both figures', async () => {
    const examples = await fixtureExamples(15);
    const extra = (await fixtureExamples(20)).filter((e) => !examples.includes(e));
    const confirmed = extra
      .filter((e) => e.source)
      .map((e) => ({ raw: readFileSync(e.source!), area: e.label }));
    const out = join(temp.dir, 'retrained');
    const result = await retrain(examples, confirmed, out, { folds: 3 });
    expect(result.after.examples).toBe(examples.length + confirmed.length);
    expect(result.before.examples).toBe(examples.length);
    expect(result.replaced).toBe(result.after.coverage >= result.before.coverage);
    expect(existsSync(out)).toBe(result.replaced);
    if (result.replaced) expect(loadModel(out).ok).toBe(true);
  });

  it('train on the command line writes a model that loads, and exits 2 without --data', () => {
    const out = join(temp.dir, 'cli-model');
    const cli = join(import.meta.dirname, '..', '..', 'src', 'cli.ts');
    const tsx = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'tsx');
    const stdout = execFileSync(tsx, [cli, 'train', '--data', FIXTURES, '--out', out], {
      encoding: 'utf8',
    });
    expect(stdout).toMatch(/written to/);
    expect(loadModel(out).ok).toBe(true);
    let status = 0;
    try {
      execFileSync(tsx, [cli, 'train'], { stdio: 'pipe' });
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).toBe(2);
  });
});
