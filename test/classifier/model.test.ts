import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadModel,
  MODEL_FILE,
  toBody,
  trainModel,
  writeModelFile,
  type TrainedModel,
} from '../../src/classifier/index.js';
import { svmCFor } from '../../src/classifier/model/svm.js';
import { fixtureExamples, mail, tempDir } from './helpers.js';

let trained: TrainedModel;
const temp = tempDir();

beforeAll(async () => {
  trained = trainModel(await fixtureExamples(60));
});
afterAll(() => temp.remove());

describe('the trained model', () => {
  it('routes a typical sygedagpenge complaint to beskaeftigelse', () => {
    const model = loadModelFrom(trained, 'typical');
    const p = model.predict(
      mail(
        'Klage over stop af sygedagpenge',
        'Hej. Kommunen har stoppet mine sygedagpenge efter 22 uger fordi de mener jeg ikke kan forlænges. Jobcentret har ikke set min lægeerklæring. Jeg vil klage over afgørelsen. Mvh Jens',
      ),
    );
    expect(p.area).toBe('beskaeftigelse');
    expect(p.topFeatures.length).toBeGreaterThan(0);
  });

  it('routes a complaint about a forced placement of a child to boern-unge', () => {
    const p = loadModelFrom(trained, 'child').predict(
      mail(
        'klage',
        'Kommunen vil tvangsanbringe min søn på et opholdssted. Børn og unge-udvalget har besluttet det uden at høre mig. Jeg klager.',
      ),
    );
    expect(p.area).toBe('boern-unge');
  });

  it('gives probabilities that sum to one and a threshold for the chosen area', () => {
    const p = loadModelFrom(trained, 'sum').predict(mail('Spørgsmål', 'Hvornår får jeg svar?'));
    const sum = Object.values(p.probabilities).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 6);
    expect(p.threshold).toBeGreaterThan(0);
    expect(p.threshold).toBeLessThanOrEqual(1);
  });

  it('stores a threshold per area and never routes the manual class', () => {
    const manual = trained.labels.indexOf('manual');
    expect(manual).toBeGreaterThanOrEqual(0);
    expect(trained.alone.thresholds[manual]).toBe(1);
    expect(trained.alone.thresholds).toHaveLength(trained.labels.length);
  });
});

describe('the model file', () => {
  it('round-trips: a written model loads with the same version and label set', () => {
    const dir = join(temp.dir, 'roundtrip');
    const body = toBody(trained);
    writeModelFile(dir, body);
    const loaded = loadModel(dir);
    expect(loaded.ok).toBe(true);
    if (loaded.ok) {
      expect(loaded.model.version).toBe(body.version);
      expect(loaded.model.labels).toEqual(trained.labels);
    }
  });

  it('is written atomically: no temp file is left beside it', () => {
    const dir = join(temp.dir, 'atomic');
    writeModelFile(dir, toBody(trained));
    expect(readdirSync(dir)).toEqual([MODEL_FILE]);
  });

  it('a missing model file is refused with the reason, not thrown', () => {
    const loaded = loadModel(join(temp.dir, 'nothing-here'));
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.reason).toMatch(/no model file/);
  });

  it('a corrupt model file is refused with the reason', () => {
    const dir = join(temp.dir, 'corrupt');
    writeModelFile(dir, toBody(trained));
    const file = join(dir, MODEL_FILE);
    const bytes = readFileSync(file);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
    writeFileSync(file, bytes);
    const loaded = loadModel(dir);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.reason).toMatch(/checksum/);
  });

  it('a file that is not a model at all is refused with the reason', () => {
    const dir = join(temp.dir, 'garbage');
    writeModelFile(dir, toBody(trained));
    writeFileSync(join(dir, MODEL_FILE), 'hello');
    const loaded = loadModel(dir);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.reason).toMatch(/not a postrobot model/);
  });

  it('a model of another format version is refused and asks for training again', () => {
    const dir = join(temp.dir, 'format');
    writeModelFile(dir, toBody(trained));
    const file = join(dir, MODEL_FILE);
    writeFileSync(
      file,
      readFileSync(file, 'latin1').replace(/^postrobot-model 1 /, 'postrobot-model 9 '),
      'latin1',
    );
    const loaded = loadModel(dir);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.reason).toMatch(/format 9.*train the model again/);
  });

  it('stores weights in 16-bit steps and still reads a model written with 32-bit weights', () => {
    const body = toBody(trained);
    expect(body.weightScale).toBeGreaterThan(0);
    const steps = Buffer.from(body.weights, 'base64');
    const int16 = new Int16Array(steps.buffer, steps.byteOffset, steps.length / 2);
    const float32 = Float32Array.from(int16, (w) => w * body.weightScale!);
    const rest: Omit<typeof body, 'weightScale'> & { weightScale?: number } = { ...body };
    delete rest.weightScale;
    const older = { ...rest, weights: Buffer.from(float32.buffer).toString('base64') };
    writeModelFile(join(temp.dir, 'float32'), older);
    writeModelFile(join(temp.dir, 'int16'), body);
    const [a, b] = ['float32', 'int16'].map((name) => {
      const loaded = loadModel(join(temp.dir, name));
      if (!loaded.ok) throw new Error(loaded.reason);
      return loaded.model;
    });
    const text = mail('Klage', 'Kommunen har stoppet min boligstøtte, jeg klager over afgørelsen');
    expect(b!.predict(text).probabilities).toEqual(a!.predict(text).probabilities);
    // The rounding to steps moves scores by far less than anything a threshold could see.
    const rowBytes = Buffer.from(body.rows, 'base64');
    const rows = new Int32Array(rowBytes.buffer, rowBytes.byteOffset, rowBytes.length / 4);
    const classes = trained.labels.length;
    const exactWeights = new Float32Array(rows.length * classes);
    rows.forEach((f, r) =>
      exactWeights.set(
        trained.linear.weights.subarray(f * classes, (f + 1) * classes),
        r * classes,
      ),
    );
    const exactBody = { ...rest, weights: Buffer.from(exactWeights.buffer).toString('base64') };
    writeModelFile(join(temp.dir, 'exact'), exactBody);
    const exact = loadModel(join(temp.dir, 'exact'));
    if (!exact.ok) throw new Error(exact.reason);
    const drift = Math.abs(b!.predict(text).probability - exact.model.predict(text).probability);
    expect(drift).toBeLessThan(1e-4);
  });

  it('the shipped default model loads and is well under 5 MB', () => {
    const dir = join(import.meta.dirname, '..', '..', 'models', 'default');
    expect(existsSync(join(dir, MODEL_FILE))).toBe(true);
    expect(readFileSync(join(dir, MODEL_FILE)).length).toBeLessThan(5 * 1024 * 1024);
    expect(loadModel(dir).ok).toBe(true);
  });
});

describe('the SVM regularisation for a number of mails', () => {
  it('keeps C · n near 4,000 within [0.5, 2]', () => {
    expect(svmCFor(1_000)).toBe(2);
    expect(svmCFor(4_000)).toBe(1);
    expect(svmCFor(11_314)).toBe(0.5);
    expect(svmCFor(0)).toBe(2);
  });
});

function loadModelFrom(model: TrainedModel, name: string) {
  const dir = join(temp.dir, name);
  writeModelFile(dir, toBody(model));
  const loaded = loadModel(dir);
  if (!loaded.ok) throw new Error(loaded.reason);
  return loaded.model;
}
