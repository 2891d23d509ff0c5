/**
 * Training data on disk: one folder per area id holding .eml files (how sorted mail is
 * exported), and optionally manual/ for mail a person should decide. Each mail goes
 * through the pipeline's own parse and extract, so training sees what routing will see.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { extractMail, toClassifierInput } from '../pipeline/extract.js';
import { parseMail } from '../pipeline/parse.js';
import type { ClassifierInput } from '../types.js';
import { TrainingDataError } from './errors.js';
import type { TrainingExample } from './train.js';

/** Folders that are not areas (pipeline special cases, notes). */
const NOT_AREAS = new Set(['scenarios']);
const OWN_MARKER = 'X-Postrobot-Forwarded';

/** What the classifier reads of one raw mail, through the pipeline's parse and extract. */
export async function inputFromRaw(raw: Buffer): Promise<ClassifierInput> {
  const parsed = await parseMail(raw);
  return toClassifierInput(
    parsed,
    extractMail(parsed, { caseNumberPatterns: [], ownMarkerHeader: OWN_MARKER }),
  );
}

export interface LoadReport {
  examples: TrainingExample[];
  /** Files that could not be read as mail, with the reason. */
  skipped: { file: string; reason: string }[];
}

export async function loadTrainingDir(
  dir: string,
  onFile?: (done: number, total: number) => void,
): Promise<LoadReport> {
  let entries: string[];
  try {
    entries = readdirSync(dir).filter(
      (name) =>
        !NOT_AREAS.has(name) && !name.startsWith('.') && statSync(join(dir, name)).isDirectory(),
    );
  } catch (error) {
    throw new TrainingDataError(`cannot read the training folder ${dir}`, error);
  }
  const files = entries.sort().flatMap((label) =>
    readdirSync(join(dir, label))
      .filter((name) => name.toLowerCase().endsWith('.eml'))
      .sort()
      .map((name) => ({ label, file: join(dir, label, name) })),
  );
  const examples: TrainingExample[] = [];
  const skipped: LoadReport['skipped'] = [];
  for (const [i, { label, file }] of files.entries()) {
    onFile?.(i, files.length);
    try {
      examples.push({ input: await inputFromRaw(readFileSync(file)), label, source: file });
    } catch (error) {
      skipped.push({ file, reason: (error as Error).message });
    }
  }
  const areas = new Set(examples.map((e) => e.label).filter((l) => l !== 'manual'));
  if (areas.size < 2)
    throw new TrainingDataError(
      `${dir} needs .eml files in folders of at least two areas (found ${areas.size})`,
    );
  return { examples, skipped };
}
