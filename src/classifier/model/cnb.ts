/**
 * Complement naive Bayes (Rennie et al. 2003) with weight normalisation: each class is
 * scored by how badly the mail fits the *other* classes, which copes with uneven class
 * sizes. Kept as the fast baseline the SVM is measured against.
 */
import type { SparseVector } from '../vectorize.js';
import { emptyLinear, type LinearModel } from './linear.js';

export function trainComplementNb(
  xs: readonly SparseVector[],
  labels: Int32Array,
  classes: number,
  dim: number,
  alpha = 0.3,
): LinearModel {
  const perClass = new Float64Array(classes * dim);
  const total = new Float64Array(dim);
  for (let i = 0; i < xs.length; i += 1) {
    const x = xs[i]!;
    const k = labels[i]!;
    for (let j = 0; j < x.indices.length; j += 1) {
      perClass[x.indices[j]! * classes + k]! += x.values[j]!;
      total[x.indices[j]!]! += x.values[j]!;
    }
  }
  const classSum = new Float64Array(classes);
  let grand = 0;
  for (let f = 0; f < dim; f += 1) {
    grand += total[f]!;
    for (let k = 0; k < classes; k += 1) classSum[k]! += perClass[f * classes + k]!;
  }
  const model = emptyLinear(classes, dim);
  for (let k = 0; k < classes; k += 1) {
    const denominator = grand - classSum[k]! + alpha * dim;
    let absSum = 0;
    for (let f = 0; f < dim; f += 1)
      absSum += Math.abs(Math.log((total[f]! - perClass[f * classes + k]! + alpha) / denominator));
    for (let f = 0; f < dim; f += 1) {
      const logTheta = Math.log((total[f]! - perClass[f * classes + k]! + alpha) / denominator);
      // Complement: a word common in the other classes speaks against this one.
      model.weights[f * classes + k] = -logTheta / absSum;
    }
  }
  return model;
}
