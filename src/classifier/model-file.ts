/**
 * The model file: one line "postrobot-model <format> sha256=<hex>" and then a gzipped JSON
 * body whose checksum that line carries. Written to a temp file, fsynced, renamed, so a
 * crash leaves the old model or the new one, never half of one. Reading checks the magic,
 * the format version, the checksum and the shape, and says which failed.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { ModelUnusableError } from './errors.js';
import type { TrainedModel } from './train.js';

export const MODEL_FILE = 'classifier.model';
export const FORMAT_VERSION = 1;
const MAGIC = 'postrobot-model';

const featureSchema = z.object({
  bits: z.number().int().min(10).max(24),
  charNgrams: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
  charMinWordLength: z.number().int(),
  charLanguages: z.array(z.enum(['da', 'en'])),
  charWeight: z.number(),
  subjectRepeat: z.number().int(),
  maxAttachmentChars: z.number().int(),
  maxBodyChars: z.number().int(),
  // Models written before the sign-off split read the sign-off as body text.
  signOffWeight: z.number().min(0).default(1),
  complaintWeight: z.number().min(0).default(0),
});
const pointSchema = z.object({
  calibration: z.object({ scale: z.number().positive(), evidenceWeight: z.number() }),
  thresholds: z.array(z.number().min(0).max(1)),
});
const bodySchema = z.object({
  version: z.string(),
  createdAt: z.string(),
  labels: z.array(z.string()).min(2),
  targetPrecision: z.number(),
  examples: z.number().int(),
  features: featureSchema,
  alone: pointSchema,
  withEvidence: pointSchema.nullable(),
  /**
   * Buckets that carry weight (base64 Int32), their idf (Float32) and weights (rows ×
   * labels): Int16 steps of `weightScale`, or Float32 in models written without it.
   */
  rows: z.string(),
  idf: z.string(),
  defaultIdf: z.number(),
  weights: z.string(),
  weightScale: z.number().positive().optional(),
  bias: z.array(z.number()),
  names: z.array(z.tuple([z.number().int(), z.string()])),
});
export type ModelBody = z.infer<typeof bodySchema>;

function b64<T extends ArrayBufferView>(array: T): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

function fromB64<T>(
  text: string,
  make: (buffer: ArrayBuffer, length: number) => T,
  bytesPer: number,
): T {
  const bytes = Buffer.from(text, 'base64');
  const copy = new ArrayBuffer(bytes.length);
  new Uint8Array(copy).set(bytes);
  return make(copy, bytes.length / bytesPer);
}

/** The serialisable form: only the buckets that any mail touched are stored. */
export function toBody(model: TrainedModel, createdAt = new Date()): ModelBody {
  const { linear, idf } = model;
  // Buckets no training mail touched all share the largest idf; only the others are stored.
  const defaultIdf = idf.reduce((a, b) => Math.max(a, b), 0);
  const rows: number[] = [];
  for (let f = 0; f < linear.dim; f += 1) {
    let used = idf[f] !== defaultIdf;
    for (let k = 0; k < linear.classes && !used; k += 1)
      used = linear.weights[f * linear.classes + k] !== 0;
    if (used) rows.push(f);
  }
  // Weights as 16-bit steps of one scale: half the size of Float32 (the shipped model was
  // 5.3 MB), and the step (largest weight / 32,767) moves a mail's score by about 1e-5.
  const largest = linear.weights.reduce((a, w) => Math.max(a, Math.abs(w)), 0);
  const weightScale = largest > 0 ? largest / 32_767 : 1;
  const weights = new Int16Array(rows.length * linear.classes);
  rows.forEach((f, r) => {
    for (let k = 0; k < linear.classes; k += 1)
      weights[r * linear.classes + k] = Math.round(
        linear.weights[f * linear.classes + k]! / weightScale,
      );
  });
  const body: Omit<ModelBody, 'version'> = {
    createdAt: createdAt.toISOString(),
    labels: model.labels,
    targetPrecision: model.targetPrecision,
    examples: model.examples,
    features: model.features,
    alone: model.alone,
    withEvidence: model.withEvidence,
    rows: b64(Int32Array.from(rows)),
    idf: b64(Float32Array.from(rows, (f) => idf[f]!)),
    defaultIdf,
    weights: b64(weights),
    weightScale,
    bias: [...linear.bias],
    names: [...model.names.entries()],
  };
  const digest = createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 12);
  return { version: `${body.createdAt.slice(0, 10)}-${digest}`, ...body };
}

export interface DenseModel {
  body: ModelBody;
  idf: Float32Array;
  weights: Float32Array;
  bias: Float32Array;
}

/** Dense tables for fast scoring, from the stored rows. */
export function densify(body: ModelBody): DenseModel {
  const dim = 1 << body.features.bits;
  const classes = body.labels.length;
  const rows = fromB64(body.rows, (b, n) => new Int32Array(b, 0, n), 4);
  const idfRows = fromB64(body.idf, (b, n) => new Float32Array(b, 0, n), 4);
  const scale = body.weightScale;
  const weightRows =
    scale === undefined
      ? fromB64(body.weights, (b, n) => new Float32Array(b, 0, n), 4)
      : Float32Array.from(
          fromB64(body.weights, (b, n) => new Int16Array(b, 0, n), 2),
          (w) => w * scale,
        );
  if (
    idfRows.length !== rows.length ||
    weightRows.length !== rows.length * classes ||
    body.bias.length !== classes
  ) {
    throw new ModelUnusableError('ModelCorrupt', 'the model tables do not match its label set');
  }
  for (const point of [body.alone, body.withEvidence]) {
    if (point && point.thresholds.length !== classes)
      throw new ModelUnusableError('ModelCorrupt', 'the thresholds do not match the label set');
  }
  const idf = new Float32Array(dim).fill(body.defaultIdf);
  const weights = new Float32Array(dim * classes);
  rows.forEach((f, r) => {
    if (f < 0 || f >= dim)
      throw new ModelUnusableError(
        'ModelCorrupt',
        'a stored bucket lies outside the feature space',
      );
    idf[f] = idfRows[r]!;
    weights.set(weightRows.subarray(r * classes, (r + 1) * classes), f * classes);
  });
  return { body, idf, weights, bias: Float32Array.from(body.bias) };
}

/** Writes the model atomically: temp file, fsync, rename, fsync of the folder. */
export function writeModelFile(dir: string, body: ModelBody): string {
  mkdirSync(dir, { recursive: true });
  const payload = gzipSync(Buffer.from(JSON.stringify(body)), { level: 9 });
  const checksum = createHash('sha256').update(payload).digest('hex');
  const file = join(dir, MODEL_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o644);
  try {
    writeSync(fd, `${MAGIC} ${FORMAT_VERSION} sha256=${checksum}\n`);
    writeSync(fd, payload);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  try {
    const dirFd = openSync(dirname(file), 'r');
    fsyncSync(dirFd);
    closeSync(dirFd);
  } catch {
    // Some file systems refuse to fsync a folder; the rename is still atomic.
  }
  return file;
}

/** Reads and checks a model file; throws ModelUnusableError with the reason. */
export function readModelFile(dir: string): ModelBody {
  const file = join(dir, MODEL_FILE);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ModelUnusableError(
      'ModelMissing',
      `no model file at ${file} (${code ?? 'unreadable'})`,
      error,
    );
  }
  const newline = bytes.indexOf(0x0a);
  const header = newline > 0 ? bytes.subarray(0, newline).toString('latin1') : '';
  const match = /^postrobot-model (\d+) sha256=([0-9a-f]{64})$/.exec(header);
  if (!match)
    throw new ModelUnusableError(
      'ModelCorrupt',
      `${file} is not a postrobot model file (bad header)`,
    );
  if (Number(match[1]) !== FORMAT_VERSION) {
    throw new ModelUnusableError(
      'ModelFormat',
      `${file} has format ${match[1]}; this postrobot reads format ${FORMAT_VERSION}: train the model again`,
    );
  }
  const payload = bytes.subarray(newline + 1);
  if (createHash('sha256').update(payload).digest('hex') !== match[2]) {
    throw new ModelUnusableError(
      'ModelCorrupt',
      `${file} fails its checksum (damaged or changed by hand): train the model again`,
    );
  }
  try {
    return bodySchema.parse(JSON.parse(gunzipSync(payload).toString('utf8')));
  } catch (error) {
    throw new ModelUnusableError(
      'ModelCorrupt',
      `${file} passes its checksum but its content is not a model`,
      error,
    );
  }
}
