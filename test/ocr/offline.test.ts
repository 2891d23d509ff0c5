import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers.js';
import { scannedLetterPng } from './scans.js';

const GUARD_CHECK_URL =
  'https://cdn.jsdelivr.net/npm/@tesseract.js-data/dan/4.0.0_best_int/dan.traineddata.gz';

describe('offline OCR', { timeout: 300_000 }, () => {
  it('runs with the network unreachable and fails if anything tries to download', async () => {
    const { dir, cleanup } = tempDir('postrobot-ocr-offline-');
    try {
      const png = join(dir, 'scan.png');
      writeFileSync(png, await scannedLetterPng('24-100007', 3));
      const child = spawnSync(
        process.execPath,
        [
          '--import',
          pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href,
          '--import',
          join(import.meta.dirname, 'offline-guard.mjs'),
          join(import.meta.dirname, 'offline-child.ts'),
          png,
        ],
        // A foreign working folder: a cache file written there would show up below.
        {
          cwd: dir,
          encoding: 'utf8',
          timeout: 180_000,
          env: {
            ...process.env,
            HTTP_PROXY: 'http://192.0.2.1:9',
            HTTPS_PROXY: 'http://192.0.2.1:9',
          },
        },
      );
      // The one attempt allowed is the child's own check, after the OCR, that the guard bites.
      const attempts = child.stderr
        .split('\n')
        .filter((line) => line.startsWith('NETWORK ATTEMPT'));
      expect(child.stderr.slice(-2000) && attempts).toEqual([
        `NETWORK ATTEMPT: fetch ${GUARD_CHECK_URL}`,
      ]);
      expect(child.status).toBe(0);
      expect(child.stdout).toContain('24-100007');
      expect(child.stdout).toContain('GUARD HOLDS');
      expect(readdirSync(dir).sort()).toEqual(['scan.png']);
    } finally {
      cleanup();
    }
  });
});
