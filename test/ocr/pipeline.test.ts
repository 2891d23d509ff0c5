import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config/load.js';
import { createRuntime, type Runtime } from '../../src/daemon/main.js';
import { silentLogger } from '../../src/log/logger.js';
import { configIn, tempDir, waitFor } from '../helpers.js';
import { mailWithScan, scannedLetterPdf, scannedLetterPng } from './scans.js';

describe('scanned attachments in the pipeline', { timeout: 300_000 }, () => {
  let dir: string;
  let cleanup: () => void;
  let config: Config;
  let runtime: Runtime | null = null;

  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    // One OCR worker: this file runs beside other test files on two cores.
    config = loadConfig(configIn(dir, { ocr: '\n  workers: 1' }), {});
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = null;
    cleanup();
  });

  function start(): Runtime {
    runtime = createRuntime(config, silentLogger());
    runtime.journal.upsertCase(
      { number: '24-100011', area: 'boern-unge', caseworker: 'mette.holm@ast.dk', source: 'test' },
      new Date().toISOString(),
    );
    runtime.journal.upsertCase(
      { number: '24-100012', area: 'boern-unge', caseworker: 'mette.holm@ast.dk', source: 'test' },
      new Date().toISOString(),
    );
    return runtime;
  }

  function deliver(name: string, raw: Buffer): void {
    writeFileSync(join(config.inboxDir, 'new', name), raw);
  }

  it('attaches a mail whose only case number is in a scanned image or image-only PDF to that case, and its case PDF holds the scanned text', async () => {
    const rt = start();
    deliver(
      '1733000001.M1P1.test',
      await mailWithScan(
        {
          filename: 'brev.png',
          content: await scannedLetterPng('24-100011', 4),
          contentType: 'image/png',
        },
        '<scan-png@mail.gmail.com>',
      ),
    );
    deliver(
      '1733000002.M2P1.test',
      await mailWithScan(
        {
          filename: 'brev.pdf',
          content: await scannedLetterPdf('24-100012', 5),
          contentType: 'application/pdf',
        },
        '<scan-pdf@mail.gmail.com>',
      ),
    );
    await rt.daemon.pass();

    const messages = rt.journal.listMessages({});
    expect(messages.map((m) => m.caseNumber).sort()).toEqual(['24-100011', '24-100012']);
    expect(messages.every((m) => m.decision === 'route' && m.area === 'boern-unge')).toBe(true);
    for (const caseNumber of ['24-100011', '24-100012']) {
      const kinds = rt.journal.caseDocuments(caseNumber).map((d) => d.kind);
      expect(kinds).toEqual(['mail', 'attachment']);
    }

    // The case PDFs are rebuilt off the mail loop; their scanned pages carry a text layer.
    for (const caseNumber of ['24-100011', '24-100012']) {
      const bundle = join(config.dataDir, 'bundles', `${caseNumber}.pdf`);
      await waitFor(() => existsSync(bundle), 150_000, 250);
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', bundle, '-'], { encoding: 'utf8' });
      expect(text).toMatch(new RegExp(`Sagsnr\\. ${caseNumber}`));
      expect(text).toMatch(/Teglholmsgade/);
    }
  });
});
