import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import type { ModelLike } from '../pipeline/classify.js';

interface ModelModule {
  loadModel(dir: string): { ok: true; model: ModelLike } | { ok: false; reason: string };
}

/**
 * Loads the trained model, or says why not and returns null: postrobot then routes with
 * the rules alone, which is safe (it only routes less).
 */
export async function loadModelOrRulesOnly(dir: string, log: Logger): Promise<ModelLike | null> {
  if (!existsSync(dir)) {
    log.warn({ event: 'model-missing', dir }, 'no trained model; routing with the rules alone');
    return null;
  }
  try {
    const specifier = '../classifier/index.js';
    const module = (await import(specifier)) as ModelModule;
    const loaded = module.loadModel(dir);
    if (loaded.ok) {
      log.info({ event: 'model-loaded', dir }, 'model loaded');
      return loaded.model;
    }
    log.error(
      { event: 'model-unusable', dir, reason: loaded.reason },
      'the model cannot be used; routing with the rules alone',
    );
  } catch (error) {
    log.error(
      { event: 'model-unusable', dir, reason: (error as Error).message },
      'the model cannot be used; routing with the rules alone',
    );
  }
  return null;
}
