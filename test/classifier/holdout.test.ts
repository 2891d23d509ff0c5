import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers.js';

const HOLDOUT = join(ROOT, 'fixtures', 'holdout');

interface Line {
  file: string;
  area: string | null;
  decision: string;
}

/**
 * The check, run as the checker would: `postrobot classify --json` with the
 * shipped model on mail it was never trained on (fixtures/holdout, README there), and
 * coverage and precision computed from the output.
 */
describe('the shipped model on Danish mail it has never seen', () => {
  it('routes at least 85 % of the routable mail at 98 % precision or better', () => {
    const files = readdirSync(HOLDOUT, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((dir) =>
        readdirSync(join(HOLDOUT, dir.name))
          .filter((name) => name.endsWith('.eml'))
          .map((name) => join(HOLDOUT, dir.name, name)),
      );
    const result = runCli(['classify', '--json', ...files], {}, 300_000);
    expect(result.status).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Line);
    expect(lines).toHaveLength(files.length);
    const truth = (line: Line) => line.file.split(/[\\/]/).at(-2)!;
    const routable = lines.filter((line) => truth(line) !== 'manual').length;
    const routed = lines.filter((line) => line.decision === 'route');
    const right = routed.filter((line) => line.area === truth(line)).length;
    expect(routed.length / routable).toBeGreaterThanOrEqual(0.85);
    expect(right / routed.length).toBeGreaterThanOrEqual(0.98);
  });
});
