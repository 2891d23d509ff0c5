/**
 * The loaded model: featurises a mail the way training did, scores it, turns the scores
 * (and, when given, routing.yaml's evidence scores) into calibrated probabilities, and
 * names the words that pushed hardest towards its choice.
 */
import type { ClassifierInput } from '../types.js';
import { calibratedProbabilities, pairwiseConfidence } from './calibrate.js';
import { createFeaturizer, type Featurizer } from './features.js';
import { linearScores, type LinearModel } from './model/linear.js';
import { densify, type ModelBody } from './model-file.js';
import { weigh } from './vectorize.js';

export interface ModelPrediction {
  area: string | null;
  /** Confidence in `area` against the runner-up (calibrate.ts's pairwiseConfidence); thresholds are on it. */
  probability: number;
  probabilities: Record<string, number>;
  threshold: number;
  /** The words that pushed hardest towards `area`; computed when read. */
  readonly topFeatures: string[];
}

export interface TextModel {
  readonly labels: string[];
  readonly version: string;
  /**
   * Calibrated opinion on a mail. `evidence` (area id → evidence score from routing.yaml)
   * is blended in with the weight learnt at training; the thresholds then are the ones
   * chosen for the blend.
   */
  predict(input: ClassifierInput, evidence?: Record<string, number>): ModelPrediction;
}

const TOP_FEATURES = 5;

export function createTextModel(body: ModelBody): TextModel {
  const dense = densify(body);
  const labels = body.labels;
  const linear: LinearModel = {
    classes: labels.length,
    dim: 1 << body.features.bits,
    weights: dense.weights,
    bias: dense.bias,
  };
  const names = new Map(body.names);
  const featurizer: Featurizer = createFeaturizer(body.features);
  const scores = new Float64Array(labels.length);
  const evidenceScores = new Float64Array(labels.length);
  const probabilities = new Float64Array(labels.length);

  function topFeatures(x: { indices: Int32Array; values: Float32Array }, k: number): string[] {
    const found: { name: string; weight: number }[] = [];
    for (let i = 0; i < x.indices.length; i += 1) {
      const name = names.get(x.indices[i]!);
      if (name === undefined) continue;
      const weight = x.values[i]! * dense.weights[x.indices[i]! * labels.length + k]!;
      if (weight > 0) found.push({ name, weight });
    }
    found.sort((a, b) => b.weight - a.weight);
    return [...new Set(found.map((f) => f.name))].slice(0, TOP_FEATURES);
  }

  function predict(input: ClassifierInput, evidence?: Record<string, number>): ModelPrediction {
    const x = weigh(featurizer.featurize(input), dense.idf, body.features.charWeight);
    linearScores(linear, x, scores);
    const point = evidence && body.withEvidence ? body.withEvidence : body.alone;
    if (evidence && body.withEvidence)
      labels.forEach((label, k) => (evidenceScores[k] = evidence[label] ?? 0));
    calibratedProbabilities(
      scores,
      evidence && body.withEvidence ? evidenceScores : null,
      point.calibration,
      probabilities,
    );
    let best = 0;
    for (let k = 1; k < labels.length; k += 1)
      if (probabilities[k]! > probabilities[best]!) best = k;
    const record: Record<string, number> = {};
    labels.forEach((label, k) => (record[label] = probabilities[k]!));
    return {
      area: labels[best] ?? null,
      probability: pairwiseConfidence(probabilities, best),
      probabilities: record,
      threshold: point.thresholds[best]!,
      // Named only when read (the reasons): a fifth of the scoring time otherwise.
      get topFeatures() {
        return topFeatures(x, best);
      },
    };
  }

  return { labels, version: body.version, predict };
}
