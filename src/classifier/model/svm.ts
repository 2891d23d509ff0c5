/**
 * One-vs-rest linear SVM (L2-regularised, squared hinge loss) trained by dual coordinate
 * descent, the algorithm of LIBLINEAR and scikit-learn's LinearSVC. It converges in a few
 * passes over sparse text.
 *
 * The one-vs-rest problems are independent, so they are solved side by side: for each
 * mail, all classes' margins are computed in one sweep over its features and all updates
 * applied in another. With the weights laid out bucket by bucket that reads memory in
 * runs instead of jumping through the weight table once per class, which is 10-20 times
 * faster than solving the classes one after the other.
 */
import type { SparseVector } from '../vectorize.js';
import { addScores, emptyLinear, seededRandom, shuffled, type LinearModel } from './linear.js';

export interface SvmOptions {
  /** Inverse regularisation strength. */
  C: number;
  /** Most passes over the data. */
  epochs: number;
  /** Value of the constant feature that carries the bias (LIBLINEAR's -B). */
  biasFeature: number;
  seed: number;
  /** Stop when the projected gradient's spread over a pass falls below this (LIBLINEAR's eps). */
  tolerance: number;
}

export interface SvmResult {
  model: LinearModel;
  /** The dual variables (n × classes), to warm-start a model of more mail. */
  alpha: Float64Array;
  epochs: number;
}

/**
 * C for a model of `examples` mails when none is given: the same regularisation per mail
 * (C · n = 4,000), within [0.5, 2]. C multiplies a sum over all mails, so a fixed C
 * regularises a small set harder per mail than a large one. Measured: the 2,214 Danish
 * fixtures want C = 2 (nested CV coverage at the 98 % target 0.740 at C = 0.5, 0.780 at 1,
 * 0.790 at 2, 0.800 at 4), the 11,314 20 Newsgroups training mails C = 0.5 (C = 1 and 2
 * gain 0.001 of accuracy for 33 % and 85 % more training time).
 */
export function svmCFor(examples: number): number {
  return Math.min(2, Math.max(0.5, 4000 / Math.max(examples, 1)));
}

export const DEFAULT_SVM_OPTIONS: SvmOptions = {
  C: 0.5,
  epochs: 15,
  biasFeature: 1,
  seed: 7,
  tolerance: 0.25,
};

/** w[·, moved[m]] += delta[m]·x for the first `active` classes, in one pass over x. */
function addToWeights(
  w: Float32Array,
  classes: number,
  x: SparseVector,
  moved: Int32Array,
  delta: Float64Array,
  active: number,
): void {
  if (active === 0) return;
  const idx = x.indices;
  const val = x.values;
  for (let j = 0; j < idx.length; j += 1) {
    const base = idx[j]! * classes;
    const v = val[j]!;
    for (let m = 0; m < active; m += 1) w[base + moved[m]!]! += delta[m]! * v;
  }
}

export function trainSvm(
  xs: readonly SparseVector[],
  labels: Int32Array,
  classes: number,
  dim: number,
  options: SvmOptions = DEFAULT_SVM_OPTIONS,
  /** Dual variables to start from (n × classes), e.g. from a model of most of the same mail. */
  warmStart?: Float64Array,
): SvmResult {
  const model = emptyLinear(classes, dim);
  const w = model.weights;
  const bias = new Float64Array(classes);
  const n = xs.length;
  const diag = 1 / (2 * options.C);
  const b = options.biasFeature;
  const qii = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    let s = b * b;
    const v = xs[i]!.values;
    for (let j = 0; j < v.length; j += 1) s += v[j]! * v[j]!;
    qii[i] = s + diag;
  }
  const alpha = warmStart ? Float64Array.from(warmStart) : new Float64Array(n * classes);
  // The classes whose weights a mail moves, and by how much.
  const delta = new Float64Array(classes);
  const moved = new Int32Array(classes);
  if (warmStart) {
    // w = Σ alpha·y·x: the weights that the starting dual variables stand for.
    for (let i = 0; i < n; i += 1) {
      let active = 0;
      for (let k = 0; k < classes; k += 1) {
        const a = alpha[i * classes + k]!;
        if (a === 0) continue;
        const d = labels[i] === k ? a : -a;
        bias[k]! += d * b;
        delta[active] = d;
        moved[active] = k;
        active += 1;
      }
      addToWeights(w, classes, xs[i]!, moved, delta, active);
    }
  }
  const dot = new Float64Array(classes);
  const done = new Uint8Array(classes);
  const maxPg = new Float64Array(classes);
  const minPg = new Float64Array(classes);
  // LIBLINEAR's shrinking: a (mail, class) pair whose alpha is 0 and whose gradient is
  // clearly positive is left out of later passes; a mail with no pair left is skipped
  // whole.
  const shrunk = new Uint8Array(n * classes);
  const liveClasses = new Int32Array(n).fill(classes);
  const maxPgOld = new Float64Array(classes).fill(Infinity);
  const random = seededRandom(options.seed);
  let epochsRun = 0;
  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    epochsRun = epoch + 1;
    maxPg.fill(-Infinity);
    minPg.fill(Infinity);
    const order = shuffled(n, random);
    for (let o = 0; o < n; o += 1) {
      const i = order[o]!;
      if (liveClasses[i] === 0) continue;
      const x = xs[i]!;
      for (let k = 0; k < classes; k += 1) dot[k] = bias[k]! * b;
      addScores(w, classes, x, dot);
      // Most mails move only a few classes' weights: update just those.
      let active = 0;
      for (let k = 0; k < classes; k += 1) {
        if (done[k] === 1 || shrunk[i * classes + k] === 1) continue;
        const y = labels[i] === k ? 1 : -1;
        const a = alpha[i * classes + k]!;
        const g = y * dot[k]! - 1 + diag * a;
        if (a === 0 && g > maxPgOld[k]!) {
          shrunk[i * classes + k] = 1;
          liveClasses[i]! -= 1;
          continue;
        }
        const pg = a === 0 ? Math.min(g, 0) : g;
        if (pg > maxPg[k]!) maxPg[k] = pg;
        if (pg < minPg[k]!) minPg[k] = pg;
        if (Math.abs(pg) < 1e-12) continue;
        const next = Math.max(a - g / qii[i]!, 0);
        alpha[i * classes + k] = next;
        const d = (next - a) * y;
        if (d !== 0) {
          delta[active] = d;
          moved[active] = k;
          active += 1;
          bias[k]! += d * b;
        }
      }
      addToWeights(w, classes, x, moved, delta, active);
    }
    let all = true;
    // LIBLINEAR's stopping rule, per class: the projected gradient's spread is small.
    for (let k = 0; k < classes; k += 1) {
      if (done[k] === 0 && maxPg[k]! - minPg[k]! < options.tolerance) done[k] = 1;
      if (done[k] === 0) all = false;
      maxPgOld[k] = maxPg[k]! > 0 ? maxPg[k]! : Infinity;
    }
    // Unlike LIBLINEAR, no confirming pass over the shrunk pairs: it cost a fifth of the
    // training time and changed no accuracy figure we measured.
    if (all) break;
  }
  for (let k = 0; k < classes; k += 1) model.bias[k] = bias[k]! * b;
  return { model, alpha, epochs: epochsRun };
}
