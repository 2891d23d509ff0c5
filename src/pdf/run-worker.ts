import { Worker, type ResourceLimits } from 'node:worker_threads';
import { workerEntry } from './worker-entry.js';

/** How a worker run ended when it did not send its one message. */
export type WorkerFailure =
  | { kind: 'timeout' }
  | { kind: 'out-of-memory'; error: Error }
  | { kind: 'error'; error: Error }
  | { kind: 'exit'; code: number };

export interface WorkerRun {
  /** File name next to this module without extension, e.g. 'attachment-worker'. */
  module: string;
  data: unknown;
  timeoutMs: number;
  resourceLimits: ResourceLimits;
}

/**
 * Runs a worker module that posts exactly one message, and ends it: on that message, on a
 * time-out, on running out of heap, or on a crash. A worker is never left running.
 */
export function runWorker<T>(
  run: WorkerRun,
): Promise<{ ok: true; message: T } | { ok: false; failure: WorkerFailure }> {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new Promise((resolve) => {
    const worker = new Worker(workerEntry(new URL(`./${run.module}${ext}`, import.meta.url)), {
      workerData: run.data,
      resourceLimits: run.resourceLimits,
      // Libraries that print (fontkit warnings) must not reach the daemon's JSON log.
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    let settled = false;
    const finish = (
      outcome: { ok: true; message: T } | { ok: false; failure: WorkerFailure },
    ): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(
      () => finish({ ok: false, failure: { kind: 'timeout' } }),
      run.timeoutMs,
    );
    worker.on('message', (message: T) => finish({ ok: true, message }));
    worker.on('error', (error: Error & { code?: string }) =>
      finish({
        ok: false,
        failure:
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? { kind: 'out-of-memory', error }
            : { kind: 'error', error },
      }),
    );
    worker.on('exit', (code) => finish({ ok: false, failure: { kind: 'exit', code } }));
  });
}
