/**
 * How held-out mail is chosen. Folds are contiguous runs of each area's mail in the
 * order given (file-name order, which is arrival order for exported mail), not a random
 * shuffle: a thread or a campaign of near-identical mails then stays on one side, so the
 * held-out figures are closer to what later mail will show.
 */

/** Fold number (0..k-1) of every example; each label's examples are cut into k runs. */
export function blockedFolds(labels: Int32Array, k: number): Int32Array {
  const fold = new Int32Array(labels.length);
  const byLabel = new Map<number, number[]>();
  labels.forEach((label, i) => {
    const list = byLabel.get(label) ?? [];
    list.push(i);
    byLabel.set(label, list);
  });
  for (const list of byLabel.values()) {
    list.forEach((i, position) => {
      fold[i] = Math.min(k - 1, Math.floor((position * k) / list.length));
    });
  }
  return fold;
}

/** One split: the last `fraction` of each label's examples are held out (fold 1), the rest train (fold 0). */
export function lastSliceHeldOut(labels: Int32Array, fraction: number): Int32Array {
  const folds = blockedFolds(labels, 1000);
  const cut = Math.round(1000 * (1 - fraction));
  return folds.map((f) => (f >= cut ? 1 : 0));
}
