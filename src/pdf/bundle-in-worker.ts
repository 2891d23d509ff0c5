import type { BundleInput, BundleOptions, BundleResult } from './bundle-types.js';
import type { BundleJob, BundleJobResult } from './bundle-worker.js';
import { PdfError } from './errors.js';
import { runWorker } from './run-worker.js';

export interface BundleWorkerOptions extends BundleOptions {
  /** Wall-clock limit for one bundle. Default 10 minutes. */
  timeoutMs?: number;
  /** V8 heap limit of the worker in MB. Default 1024. */
  maxHeapMb?: number;
}

/**
 * Builds the case PDF in a worker thread so that a 1,000-page case does not hold up the
 * mail loop. A failure rejects with a PdfError 'BundleFailed'; the old bundle, if any,
 * stays in place because the new one is only ever renamed over it when complete.
 */
export async function buildCaseBundleInWorker(
  input: BundleInput,
  outFile: string,
  options: BundleWorkerOptions = {},
): Promise<BundleResult> {
  const { timeoutMs = 600_000, maxHeapMb = 1024, ...bundleOptions } = options;
  const job: BundleJob = { input, outFile, options: bundleOptions };
  // A larger young generation: merging allocates many short-lived objects, and the default
  // one spent half a second in scavenges on a 1,000-page case.
  const outcome = await runWorker<BundleJobResult>({
    module: 'bundle-worker',
    data: job,
    timeoutMs,
    resourceLimits: { maxOldGenerationSizeMb: maxHeapMb, maxYoungGenerationSizeMb: 48 },
  });
  if (outcome.ok) {
    if (outcome.message.ok) return outcome.message.result;
    throw new PdfError('BundleFailed', outcome.message.message);
  }
  const failure = outcome.failure;
  if (failure.kind === 'timeout')
    throw new PdfError('BundleFailed', `the bundle was not built within ${timeoutMs} ms`);
  if (failure.kind === 'exit')
    throw new PdfError('BundleFailed', `the bundle worker stopped (exit ${failure.code})`);
  throw new PdfError(
    'BundleFailed',
    `the bundle worker failed (${failure.error.message})`,
    failure.error,
  );
}
