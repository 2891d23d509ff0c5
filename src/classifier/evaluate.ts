/**
 * Cross-validated evaluation, nested so that the figures are honest: for each outer fold
 * a model is trained on the other folds — choosing its own calibration and thresholds on
 * its own inner folds — and then judged on the fold it never saw. What an admin reads is
 * therefore what the thresholds do on unseen mail, not on the mail they were chosen on.
 */
import { scoreEvidence } from '../pipeline/evidence.js';
import { blockedFolds } from './folds.js';
import { toBody } from './model-file.js';
import { createTextModel } from './text-model.js';
import { coverageAndPrecision, type HeldOutPrediction } from './thresholds.js';
import { MANUAL, trainModel, type TrainingExample, type TrainOptions } from './train.js';

export interface AreaFigures {
  area: string;
  support: number;
  precision: number;
  recall: number;
  /** Share of the area's mail routed (to it) at its threshold. */
  coverage: number;
}

export interface CurvePoint {
  threshold: number;
  coverage: number;
  precision: number;
}

export interface EvaluationReport {
  labels: string[];
  examples: number;
  folds: number;
  targetPrecision: number;
  evidence: boolean;
  accuracy: number;
  /** At the thresholds each fold's model chose for itself. */
  coverage: number;
  precision: number;
  routed: number;
  routable: number;
  perArea: AreaFigures[];
  /** confusion[truth][predicted] counts. */
  confusion: number[][];
  /** Coverage and precision if one global threshold were used, for the curve. */
  curve: CurvePoint[];
}

interface Judged extends HeldOutPrediction {
  routed: boolean;
}

export function evaluate(
  examples: readonly TrainingExample[],
  folds: number,
  options: Partial<TrainOptions> = {},
  onFold?: (done: number, total: number) => void,
): EvaluationReport {
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const truth = Int32Array.from(examples, (e) => labels.indexOf(e.label));
  const fold = blockedFolds(truth, folds);
  const judged: Judged[] = [];
  const useEvidence = (options.evidence?.length ?? 0) > 0;
  for (let f = 0; f < folds; f += 1) {
    onFold?.(f, folds);
    const trained = trainModel(
      examples.filter((_, i) => fold[i] !== f),
      options,
    );
    const model = createTextModel(toBody(trained));
    examples.forEach((example, i) => {
      if (fold[i] !== f) return;
      const evidence = useEvidence
        ? scoreEvidence(example.input, options.evidence!).scores
        : undefined;
      const p = model.predict(example.input, evidence);
      const predicted = p.area === null ? -1 : labels.indexOf(p.area);
      judged.push({
        truth: truth[i]!,
        predicted,
        probability: p.probability,
        routed: p.area !== MANUAL && predicted >= 0 && p.probability >= p.threshold,
      });
    });
  }
  onFold?.(folds, folds);
  const manual = labels.indexOf(MANUAL);
  const never = manual >= 0 ? [manual] : [];
  const confusion = labels.map(() => labels.map(() => 0));
  for (const j of judged) if (j.predicted >= 0) confusion[j.truth]![j.predicted]! += 1;
  const routed = judged.filter((j) => j.routed);
  const routable = judged.filter((j) => !never.includes(j.truth)).length;
  const correctRouted = routed.filter((j) => j.truth === j.predicted).length;
  const perArea = labels.map((area, k) => {
    const predictedK = judged.filter((j) => j.predicted === k);
    const support = judged.filter((j) => j.truth === k).length;
    const hit = predictedK.filter((j) => j.truth === k).length;
    return {
      area,
      support,
      precision: predictedK.length === 0 ? 1 : hit / predictedK.length,
      recall: support === 0 ? 0 : hit / support,
      coverage:
        support === 0
          ? 0
          : routed.filter((j) => j.truth === k && j.predicted === k).length / support,
    };
  });
  const curve: CurvePoint[] = [];
  for (let t = 0; t <= 100; t += 2) {
    const threshold = t / 100;
    const at = coverageAndPrecision(
      judged,
      labels.map(() => threshold),
      never,
    );
    curve.push({ threshold, coverage: at.coverage, precision: at.precision });
  }
  return {
    labels,
    examples: examples.length,
    folds,
    targetPrecision: options.targetPrecision ?? 0.98,
    evidence: useEvidence,
    accuracy: judged.filter((j) => j.truth === j.predicted).length / Math.max(judged.length, 1),
    coverage: routable === 0 ? 0 : routed.length / routable,
    precision: routed.length === 0 ? 1 : correctRouted / routed.length,
    routed: routed.length,
    routable,
    perArea,
    confusion,
    curve,
  };
}
