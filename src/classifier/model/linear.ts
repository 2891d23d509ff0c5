/**
 * A linear model over hashed features: one weight per (bucket, class), laid out bucket by
 * bucket so that scoring a sparse mail reads memory in runs.
 */
import type { SparseVector } from '../vectorize.js';

export interface LinearModel {
  classes: number;
  /** Number of hash buckets. */
  dim: number;
  /** weights[bucket * classes + class]. */
  weights: Float32Array;
  bias: Float32Array;
}

export function emptyLinear(classes: number, dim: number): LinearModel {
  return {
    classes,
    dim,
    weights: new Float32Array(classes * dim),
    bias: new Float32Array(classes),
  };
}

/** Raw scores of every class for one mail. */
export function linearScores(
  model: LinearModel,
  x: SparseVector,
  out = new Float64Array(model.classes),
): Float64Array {
  const c = model.classes;
  for (let k = 0; k < c; k += 1) out[k] = model.bias[k]!;
  const w = model.weights;
  for (let i = 0; i < x.indices.length; i += 1) {
    const base = x.indices[i]! * c;
    const v = x.values[i]!;
    for (let k = 0; k < c; k += 1) out[k]! += v * w[base + k]!;
  }
  return out;
}

/** Small deterministic PRNG (mulberry32): training must give the same model from the same mail. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled(n: number, random: () => number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i += 1) order[i] = i;
  for (let i = n - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}
