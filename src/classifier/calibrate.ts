/**
 * Calibration: one scale for the raw scores before a softmax, fitted on out-of-fold
 * scores by minimising the log loss (temperature scaling). One parameter cannot overfit
 * sixty mails an area, and it keeps the ranking, so thresholds stay meaningful.
 * The evidence weight (how much routing.yaml's evidence adds to a class's score) is fitted
 * the same way, on the same held-out scores.
 */

export interface Calibration {
  /** Multiplies the raw scores before the softmax. */
  scale: number;
  /** Multiplies the evidence score of each area before it is added (0: evidence unused). */
  evidenceWeight: number;
}

/** Softmax of scale·(score + evidenceWeight·evidence), written into `out`. */
export function calibratedProbabilities(
  scores: ArrayLike<number>,
  evidence: ArrayLike<number> | null,
  calibration: Calibration,
  out: Float64Array = new Float64Array(scores.length),
): Float64Array {
  let max = -Infinity;
  for (let k = 0; k < scores.length; k += 1) {
    const z =
      calibration.scale * (scores[k]! + (evidence ? calibration.evidenceWeight * evidence[k]! : 0));
    out[k] = z;
    if (z > max) max = z;
  }
  let sum = 0;
  for (let k = 0; k < scores.length; k += 1) {
    const e = Math.exp(out[k]! - max);
    out[k] = e;
    sum += e;
  }
  for (let k = 0; k < scores.length; k += 1) out[k]! /= sum;
  return out;
}

export interface HeldOutScores {
  scores: Float64Array[];
  evidence: Float64Array[] | null;
  labels: Int32Array;
}

function logLoss(data: HeldOutScores, calibration: Calibration): number {
  let loss = 0;
  const p = new Float64Array(data.scores[0]?.length ?? 0);
  data.scores.forEach((scores, i) => {
    calibratedProbabilities(scores, data.evidence ? data.evidence[i]! : null, calibration, p);
    loss -= Math.log(Math.max(p[data.labels[i]!]!, 1e-12));
  });
  return loss / Math.max(data.scores.length, 1);
}

/** Golden-section search of a one-dimensional function on [lo, hi]. */
function minimise(f: (x: number) => number, lo: number, hi: number, steps = 40): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let a = lo;
  let b = hi;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let i = 0; i < steps; i += 1) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  return (a + b) / 2;
}

/** Fits the scale (log-space search) and, when evidence is given, the evidence weight. */
export function fitCalibration(data: HeldOutScores): Calibration {
  let calibration: Calibration = { scale: 1, evidenceWeight: 0 };
  const fitScale = (): void => {
    const logScale = minimise(
      (x) => logLoss(data, { ...calibration, scale: Math.exp(x) }),
      Math.log(0.1),
      Math.log(200),
    );
    calibration = { ...calibration, scale: Math.exp(logScale) };
  };
  fitScale();
  if (data.evidence) {
    // Alternate: the evidence weight in score units, then the scale again for the blend.
    for (let round = 0; round < 2; round += 1) {
      const weight = minimise((x) => logLoss(data, { ...calibration, evidenceWeight: x }), 0, 2);
      calibration = { ...calibration, evidenceWeight: weight };
      fitScale();
    }
  }
  return calibration;
}

/**
 * The confidence that is thresholded: the calibrated probability of the chosen label
 * against the runner-up, p1 / (p1 + p2). It ranks mail by the lead over the nearest
 * alternative, which is what a mistake needs to overcome; the plain top probability
 * saturates at 1 for many mails and cannot tell them apart. Nested CV on the fixtures and
 * 20 Newsgroups' later test half: more mail routed at the same precision (README).
 */
export function pairwiseConfidence(probabilities: ArrayLike<number>, best: number): number {
  let second = 0;
  for (let k = 0; k < probabilities.length; k += 1)
    if (k !== best && probabilities[k]! > second) second = probabilities[k]!;
  const top = probabilities[best]!;
  return top + second === 0 ? 0 : top / (top + second);
}
