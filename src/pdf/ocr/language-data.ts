import { mkdtemp, rm, symlink, copyFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { OcrError } from './errors.js';

/**
 * The "best_int" models: the accuracy of tesseract's best LSTM models with integer
 * weights, which run about as fast as the "fast" ones in WebAssembly.
 */
const MODEL_FOLDER = '4.0.0_best_int';

/** Where a language's gzipped model is inside its @tesseract.js-data package. */
export function languageFile(language: string): string {
  const require = createRequire(import.meta.url);
  let packageJson: string;
  try {
    packageJson = require.resolve(`@tesseract.js-data/${language}/package.json`);
  } catch (error) {
    throw new OcrError(
      'OcrLanguageMissing',
      `the OCR language ${language} is not installed (npm package @tesseract.js-data/${language})`,
      error,
    );
  }
  return join(dirname(packageJson), MODEL_FOLDER, `${language}.traineddata.gz`);
}

/** A folder holding every configured language, as tesseract.js wants one `langPath`. */
export interface LanguageFolder {
  path: string;
  remove(): Promise<void>;
}

/**
 * tesseract.js reads all languages from one folder, and our models sit in one npm
 * package each; a private temp folder of links joins them. Nothing is ever fetched.
 */
export async function languageFolder(languages: string[]): Promise<LanguageFolder> {
  const files = languages.map((language) => ({ language, file: languageFile(language) }));
  const path = await mkdtemp(join(tmpdir(), 'postrobot-tessdata-'));
  for (const { language, file } of files) {
    const target = join(path, `${language}.traineddata.gz`);
    try {
      await symlink(file, target);
    } catch {
      await copyFile(file, target);
    }
  }
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
