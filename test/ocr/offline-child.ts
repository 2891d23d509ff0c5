// Run by offline.test.ts with the network guard preloaded: reads one scan, then checks
// that the guard itself bites.
import { readFile } from 'node:fs/promises';
import { DEFAULT_OCR_CONFIG, PageReader } from '../../src/pdf/ocr/index.js';

const reader = new PageReader({ ...DEFAULT_OCR_CONFIG, workers: 1 });
try {
  const [text] = await reader.readImage(await readFile(process.argv[2]!), 'png', 1, {
    deadline: Date.now() + 120_000,
  });
  process.stdout.write(`TEXT ${JSON.stringify(text)}\n`);
} finally {
  await reader.close();
}
try {
  await fetch(
    'https://cdn.jsdelivr.net/npm/@tesseract.js-data/dan/4.0.0_best_int/dan.traineddata.gz',
  );
  process.stdout.write('GUARD OPEN\n');
} catch {
  process.stdout.write('GUARD HOLDS\n');
}
