import { parentPort, workerData } from 'node:worker_threads';
import { buildCaseBundle } from './bundle.js';
import type { BundleInput, BundleOptions, BundleResult } from './bundle-types.js';

export interface BundleJob {
  input: BundleInput;
  outFile: string;
  options: BundleOptions;
}

export type BundleJobResult = { ok: true; result: BundleResult } | { ok: false; message: string };

async function main(): Promise<void> {
  const job = workerData as BundleJob;
  let reply: BundleJobResult;
  try {
    reply = { ok: true, result: await buildCaseBundle(job.input, job.outFile, job.options) };
  } catch (error) {
    reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  parentPort?.postMessage(reply);
}

void main();
