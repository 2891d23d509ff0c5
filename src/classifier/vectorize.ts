/**
 * Weighting of raw hashed counts: sublinear term frequency (1 + ln tf), inverse document
 * frequency learnt from the training mail, and an L2 norm per block so that the many
 * character n-grams cannot drown the words; the blocks are then mixed by charWeight and
 * the whole vector scaled to norm 1.
 */
import type { RawFeatures } from './features.js';

export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

/** Smoothed idf per bucket, as scikit-learn computes it: ln((1+n)/(1+df)) + 1. */
export function learnIdf(docs: readonly RawFeatures[], bits: number): Float32Array {
  const df = new Float64Array(1 << bits);
  for (const doc of docs) for (let i = 0; i < doc.indices.length; i += 1) df[doc.indices[i]!]! += 1;
  const idf = new Float32Array(1 << bits);
  const n = docs.length;
  for (let i = 0; i < idf.length; i += 1) idf[i] = Math.log((1 + n) / (1 + (df[i] ?? 0))) + 1;
  return idf;
}

// 1 + ln(tf) for the small counts that make up nearly all of a mail (a table is faster than Math.log).
const SUBLINEAR = Float32Array.from({ length: 64 }, (_, tf) => (tf === 0 ? 0 : 1 + Math.log(tf)));

export function weigh(doc: RawFeatures, idf: Float32Array, charWeight: number): SparseVector {
  const size = doc.indices.length;
  const values = new Float32Array(size);
  const blocks = doc.blocks;
  // The two blocks' squared norms in locals (no per-mail arrays: this runs for every mail).
  let wordNorm = 0;
  let charNorm = 0;
  for (let i = 0; i < size; i += 1) {
    const count = doc.counts[i]!;
    const tf = count < 64 && Number.isInteger(count) ? SUBLINEAR[count]! : 1 + Math.log(count);
    const v = tf * idf[doc.indices[i]!]!;
    values[i] = v;
    if (blocks[i] === 0) wordNorm += v * v;
    else charNorm += v * v;
  }
  const wordScale = wordNorm > 0 ? 1 / Math.sqrt(wordNorm) : 0;
  const charScale = charNorm > 0 ? charWeight / Math.sqrt(charNorm) : 0;
  let total = 0;
  for (let i = 0; i < size; i += 1) {
    const v = values[i]! * (blocks[i] === 0 ? wordScale : charScale);
    values[i] = v;
    total += v * v;
  }
  const norm = total > 0 ? 1 / Math.sqrt(total) : 0;
  for (let i = 0; i < size; i += 1) values[i]! *= norm;
  return { indices: doc.indices, values };
}
