/**
 * The classifier: Danish-aware text features, a calibrated linear SVM, per-area
 * thresholds chosen for a target precision, and the model file. See README.md here for
 * the choices and the figures behind them.
 */
import { ModelUnusableError } from './errors.js';
import { readModelFile } from './model-file.js';
import { createTextModel, type TextModel } from './text-model.js';

export type { ModelPrediction, TextModel } from './text-model.js';
export { trainModel, type TrainingExample, type TrainedModel, type TrainOptions } from './train.js';
export { writeModelFile, readModelFile, toBody, MODEL_FILE } from './model-file.js';
export { loadTrainingDir, inputFromRaw } from './dataset.js';
export { ModelUnusableError, TrainingDataError } from './errors.js';

/** Loads the model in `dir`; a missing or corrupt file is an error value, never a throw. */
export function loadModel(
  dir: string,
): { ok: true; model: TextModel } | { ok: false; reason: string } {
  try {
    return { ok: true, model: createTextModel(readModelFile(dir)) };
  } catch (error) {
    if (error instanceof ModelUnusableError) return { ok: false, reason: error.message };
    return { ok: false, reason: `the model cannot be used: ${(error as Error).message}` };
  }
}
