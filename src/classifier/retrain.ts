/**
 * Learning from triage: the original training mail plus mail a person confirmed (moved
 * into an area folder) is trained and cross-validated, and the new model replaces the
 * old one only if its coverage at the target precision is not worse than the old
 * training data's. Both figures are returned so the caller can report them.
 */
import { inputFromRaw } from './dataset.js';
import { evaluate, type EvaluationReport } from './evaluate.js';
import { toBody, writeModelFile } from './model-file.js';
import { trainModel, type TrainingExample, type TrainOptions } from './train.js';

export interface ConfirmedExample {
  raw: Buffer;
  area: string;
}

export interface RetrainResult {
  replaced: boolean;
  before: EvaluationReport;
  after: EvaluationReport;
  /** Confirmed mails that could not be parsed and were left out. */
  skipped: number;
  version: string | null;
}

export async function retrain(
  original: readonly TrainingExample[],
  confirmed: readonly ConfirmedExample[],
  outDir: string,
  options: Partial<TrainOptions> & { folds?: number } = {},
): Promise<RetrainResult> {
  const added: TrainingExample[] = [];
  let skipped = 0;
  for (const example of confirmed) {
    try {
      added.push({ input: await inputFromRaw(example.raw), label: example.area, source: 'triage' });
    } catch {
      skipped += 1;
    }
  }
  const folds = options.folds ?? 5;
  const before = evaluate(original, folds, options);
  const combined = [...original, ...added];
  const after = evaluate(combined, folds, options);
  // Not worse: equal coverage is enough, since the new model has seen more mail.
  const replaced =
    after.coverage >= before.coverage &&
    after.precision >= Math.min(before.precision, before.targetPrecision);
  let version: string | null = null;
  if (replaced) {
    const body = toBody(trainModel(combined, options));
    writeModelFile(outDir, body);
    version = body.version;
  }
  return { replaced, before, after, skipped, version };
}
