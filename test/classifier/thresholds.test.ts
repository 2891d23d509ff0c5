import { describe, expect, it } from 'vitest';
import {
  chooseThresholds,
  coverageAndPrecision,
  type HeldOutPrediction,
} from '../../src/classifier/thresholds.js';

function predictions(area: number, correct: number[], wrong: number[]): HeldOutPrediction[] {
  return [
    ...correct.map((probability) => ({ truth: area, predicted: area, probability })),
    ...wrong.map((probability) => ({ truth: 9, predicted: area, probability })),
  ];
}

const options = {
  targetPrecision: 0.98,
  pseudoErrors: 1,
  shrinkage: 30,
  driftAllowance: 1,
  neverRouted: [2],
};

describe('per-area thresholds', () => {
  it('places an area threshold above its confident mistakes', () => {
    const held = [
      ...predictions(
        0,
        Array.from({ length: 200 }, (_, i) => 0.7 + (0.3 * i) / 200),
        [0.78, 0.77, 0.76, 0.75, 0.74, 0.73, 0.72, 0.71],
      ),
      ...predictions(
        1,
        Array.from({ length: 200 }, (_, i) => 0.5 + (0.5 * i) / 200),
        [],
      ),
    ];
    // Without shrinkage, so that only the area's own mistakes count.
    const [t0, t1] = chooseThresholds(held, 3, { ...options, shrinkage: 0 });
    expect(t0).toBeGreaterThan(0.75);
    expect(t1).toBeLessThan(t0!);
  });

  it('never routes the manual class', () => {
    const held = predictions(2, [0.99, 0.99, 0.99], []);
    expect(chooseThresholds(held, 3, options)[2]).toBe(1);
  });

  it('gives 1 to an area that reaches the target at no threshold', () => {
    const held = predictions(0, [0.9, 0.8], [0.95, 0.85]);
    expect(chooseThresholds(held, 3, options)[0]).toBe(1);
  });

  it('gives every area the one pooled threshold when shrinkage is infinite', () => {
    const held = [
      ...predictions(
        0,
        Array.from({ length: 300 }, (_, i) => 0.5 + (0.5 * i) / 300),
        [0.6, 0.55],
      ),
      ...predictions(
        1,
        Array.from({ length: 20 }, (_, i) => 0.5 + (0.5 * i) / 20),
        [0.7],
      ),
    ];
    const [t0, t1] = chooseThresholds(held, 3, { ...options, shrinkage: Infinity });
    // Area 1's own mistake at 0.7 is one of few in the pool: it does not lift area 1 alone.
    expect(Math.abs(t0! - t1!)).toBeLessThan(0.03);
    expect(t0).toBeLessThan(0.75);
  });

  it('counts coverage over routable mail and precision over routed mail', () => {
    const held: HeldOutPrediction[] = [
      { truth: 0, predicted: 0, probability: 0.9 },
      { truth: 1, predicted: 0, probability: 0.95 },
      { truth: 1, predicted: 1, probability: 0.4 },
      { truth: 2, predicted: 2, probability: 0.99 },
    ];
    const figures = coverageAndPrecision(held, [0.8, 0.8, 1], [2]);
    expect(figures.routable).toBe(3);
    expect(figures.routed).toBe(2);
    expect(figures.precision).toBe(0.5);
  });
});
