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
  for (let k = 0; k < model.classes; k += 1) out[k] = model.bias[k]!;
  addScores(model.weights, model.classes, x, out);
  return out;
}

/**
 * out[k] += w[·, k]·x for every class, four classes at a time in locals: a typed-array
 * accumulator costs a load and a store per feature and class. Each class still sums its
 * features in the same order, so the result is the same to the bit.
 */
export function addScores(
  w: Float32Array,
  classes: number,
  x: SparseVector,
  out: Float64Array,
): void {
  const idx = x.indices;
  const val = x.values;
  let k = 0;
  for (; k + 4 <= classes; k += 4) {
    let d0 = out[k]!;
    let d1 = out[k + 1]!;
    let d2 = out[k + 2]!;
    let d3 = out[k + 3]!;
    for (let j = 0; j < idx.length; j += 1) {
      const base = idx[j]! * classes + k;
      const v = val[j]!;
      d0 += w[base]! * v;
      d1 += w[base + 1]! * v;
      d2 += w[base + 2]! * v;
      d3 += w[base + 3]! * v;
    }
    out[k] = d0;
    out[k + 1] = d1;
    out[k + 2] = d2;
    out[k + 3] = d3;
  }
  for (; k < classes; k += 1) {
    let d = out[k]!;
    for (let j = 0; j < idx.length; j += 1) d += w[idx[j]! * classes + k]! * val[j]!;
    out[k] = d;
  }
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
