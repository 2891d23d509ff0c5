/**
 * OCR figures: seconds per A4 page at 300 dpi and character accuracy on Danish letter
 * pages this benchmark renders itself (clean, noisy, skewed, fax), for postrobot's
 * tesseract.js pool against Debian's native `tesseract` with the same language models,
 * measured in the same run. Targets (issue 6): ≤ 1.3× native time a page using both
 * cores, ≥ 98 % characters right on clean pages, case numbers exact.
 * `POSTROBOT_OCR_BENCH_PAGES` sets the pages per kind (default 2).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { languageFile } from '../src/pdf/ocr/language-data.js';
import { OcrPool } from '../src/pdf/ocr/pool.js';
import { prepareImage } from '../src/pdf/ocr/prepare.js';
import { characterAccuracy } from './ocr-accuracy.js';
import { degrade, letterLines, letterPdf, rasterise, type Degradation } from './ocr-pages.js';

const execFileAsync = promisify(execFile);
const KINDS: Degradation[] = ['clean', 'noisy', 'skewed', 'fax'];
const LANGUAGES = ['dan', 'eng'];

interface Sample {
  kind: Degradation;
  file: string;
  png: Buffer;
  truth: string;
  caseNumber: string;
}

interface Reading {
  text: string;
}

async function makeSamples(dir: string, perKind: number): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let index = 0; index < perKind; index += 1) {
    const caseNumber = `24-${String(100_100 + index * 37).padStart(6, '0')}`;
    const lines = letterLines(caseNumber, index);
    const clean = await rasterise(await letterPdf(lines));
    for (const kind of KINDS) {
      const png = await degrade(clean, kind, index + 1);
      const file = join(dir, `${kind}-${index}.png`);
      await writeFile(file, png);
      samples.push({ kind, file, png, truth: lines.join('\n'), caseNumber });
    }
  }
  return samples;
}

/** Native tesseract, one thread, on the untouched page image, with our models unpacked. */
async function native(sample: Sample, tessdata: string, env: NodeJS.ProcessEnv): Promise<Reading> {
  const { stdout } = await execFileAsync(
    'tesseract',
    [sample.file, '-', '--tessdata-dir', tessdata, '-l', LANGUAGES.join('+'), '--dpi', '300'],
    { env, maxBuffer: 8 << 20 },
  );
  return { text: stdout };
}

/** Runs `read` over the samples with `parallel` in flight; wall seconds a page and the readings. */
async function timed(
  samples: Sample[],
  parallel: number,
  read: (sample: Sample) => Promise<Reading>,
): Promise<{ perPage: number; readings: Reading[] }> {
  const readings: Reading[] = new Array(samples.length);
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < samples.length) {
        const index = next++;
        readings[index] = await read(samples[index]!);
      }
    }),
  );
  return { perPage: Number(process.hrtime.bigint() - started) / 1e9 / samples.length, readings };
}

function report(name: string, samples: Sample[], readings: Reading[], perPage: number): void {
  const cells = KINDS.map((kind) => {
    const picked = samples
      .map((sample, index) => ({ sample, reading: readings[index]! }))
      .filter(({ sample }) => sample.kind === kind);
    const accuracy =
      picked.reduce(
        (sum, { sample, reading }) => sum + characterAccuracy(reading.text, sample.truth),
        0,
      ) / picked.length;
    const exact = picked.filter(({ sample, reading }) =>
      reading.text.includes(sample.caseNumber),
    ).length;
    return `${kind} ${(accuracy * 100).toFixed(1)} % (${exact}/${picked.length})`;
  });
  process.stdout.write(`${name.padEnd(34)} ${perPage.toFixed(2)} s/page   ${cells.join('   ')}\n`);
}

export async function run(): Promise<void> {
  const perKind = Number(process.env.POSTROBOT_OCR_BENCH_PAGES ?? 2);
  const cores = availableParallelism();
  const dir = await mkdtemp(join(tmpdir(), 'postrobot-ocr-bench-'));
  try {
    const tessdata = join(dir, 'tessdata');
    await execFileAsync('mkdir', ['-p', tessdata]);
    for (const language of LANGUAGES)
      await writeFile(
        join(tessdata, `${language}.traineddata`),
        gunzipSync(readFileSync(languageFile(language))),
      );
    const samples = await makeSamples(dir, perKind);
    process.stdout.write(
      `${samples.length} pages (A4, 300 dpi, ${perKind} of each kind), languages ${LANGUAGES.join('+')}, ${cores} cores\n`,
    );
    process.stdout.write(
      'accuracy = characters right (1 − edit distance / length); (n/m) = case number exact\n',
    );

    const oneThread = { ...process.env, OMP_THREAD_LIMIT: '1' };
    await native(samples[0]!, tessdata, oneThread); // page cache and models warm
    const nativeOne = await timed(samples, 1, (sample) => native(sample, tessdata, oneThread));
    report('native tesseract, 1 process', samples, nativeOne.readings, nativeOne.perPage);
    const nativeAll = await timed(samples, cores, (sample) => native(sample, tessdata, oneThread));
    report(`native tesseract, ${cores} processes`, samples, nativeAll.readings, nativeAll.perPage);

    for (const [denoise, deskew] of [
      [false, false],
      [true, false],
      [true, true],
    ] as const) {
      const pool = new OcrPool({
        languages: LANGUAGES,
        workers: cores,
        pagesPerWorker: 1000,
        pageTimeoutMs: 120_000,
      });
      try {
        const warmStart = Date.now();
        await pool.warm();
        const warm = (Date.now() - warmStart) / 1000;
        const js = await timed(samples, cores, async (sample) => {
          const page = await prepareImage(sample.png, 'png', 0, {
            maxPixels: 40_000_000,
            denoise,
            deskew,
          });
          return pool.recognize(page);
        });
        report(
          `postrobot pool, ${cores} workers${denoise ? ', median' : ''}${deskew ? ', deskew' : ''}`,
          samples,
          js.readings,
          js.perPage,
        );
        process.stdout.write(
          `  workers started in ${warm.toFixed(1)} s; ${(js.perPage / nativeOne.perPage).toFixed(2)}× native (1 process), ${(js.perPage / nativeAll.perPage).toFixed(2)}× native (${cores} processes)\n`,
        );
      } finally {
        await pool.close();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
