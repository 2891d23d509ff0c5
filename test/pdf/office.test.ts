import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertKnownType, DEFAULT_CONVERT_LIMITS } from '../../src/pdf/convert-attachment.js';
import { attachment, pdfText, qpdfCheck, writeTemp } from './helpers.js';
import { useAttachmentConverter } from './converter.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'attachments');
const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));

/** A running process whose command line holds `marker`, if any (pgrep exits 1 for none). */
function processesWith(marker: string): string {
  try {
    return execFileSync('pgrep', ['-af', marker], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

// LibreOffice is installed by .ci/run (libreoffice-writer-nogui, libreoffice-calc-nogui);
// these tests fail, not skip, where it is missing.
describe('Office documents converted with LibreOffice headless', () => {
  const converter = useAttachmentConverter();
  const convert = converter.convert;

  it('finds LibreOffice on PATH', () => {
    expect(
      converter.tools.soffice,
      'soffice not on PATH: .ci/run installs libreoffice-*-nogui',
    ).not.toBe(null);
  });

  it('turns a Word document (docx) into pages with its Danish text', async () => {
    const result = await convert('afgørelse.docx', fixture('afgoerelse.docx'));
    expect(result.placeholder).toBe(null);
    expect(result.detectedType).toBe('docx');
    expect(qpdfCheck(result.file)).toBe(0);
    const text = pdfText(result.file);
    expect(text).toContain('Kære Søren Ærø');
    expect(text).toContain('Blåbærgrød og rødgrød med fløde');
    expect(text).toContain('Åse Ølgaard');
  }, 120_000);

  it('turns a spreadsheet (xlsx) into pages with its cells', async () => {
    const result = await convert('udgifter.xlsx', fixture('udgifter.xlsx'));
    expect(result.placeholder).toBe(null);
    expect(result.detectedType).toBe('xlsx');
    const text = pdfText(result.file);
    expect(text).toMatch(/Børnehave i Århus\s+1200/);
    expect(text).toMatch(/Fysioterapi på Ærø\s+800/);
  }, 120_000);

  it('turns an OpenDocument text (odt) into pages with its Danish text', async () => {
    const result = await convert('afgørelse.odt', fixture('afgoerelse.odt'));
    expect(result.placeholder).toBe(null);
    expect(result.detectedType).toBe('odt');
    expect(pdfText(result.file)).toContain('Blåbærgrød og rødgrød med fløde');
  }, 120_000);

  it('runs conversions side by side, each in its own profile, without mixing them up', async () => {
    const [docx, xlsx, odt] = await Promise.all([
      convert('samtidig.docx', fixture('afgoerelse.docx')),
      convert('samtidig.xlsx', fixture('udgifter.xlsx')),
      convert('samtidig.odt', fixture('afgoerelse.odt')),
    ]);
    expect([docx, xlsx, odt].map((result) => result.placeholder)).toEqual([null, null, null]);
    expect(pdfText(docx.file)).toContain('Kære Søren Ærø');
    expect(pdfText(xlsx.file)).toContain('Søskendetilskud');
    expect(pdfText(odt.file)).toContain('Kære Søren Ærø');
  }, 240_000);

  it('a damaged docx becomes a placeholder page with the reason', async () => {
    const damaged = Buffer.from(fixture('afgoerelse.docx'));
    // The zip's directory at the end stays whole (so it is still sniffed as a docx); the
    // compressed parts in the middle are overwritten.
    damaged.fill(0x41, 300, 2500);
    const result = await convert('beskadiget.docx', damaged);
    expect(result.detectedType).toBe('docx');
    expect(result.placeholder?.code).toBe('ConverterFailed');
    const text = pdfText(result.file);
    expect(text).toContain('Dokumentet kan ikke vises');
    expect(text).toContain('beskadiget.docx');
    expect(text).toContain('filen kunne ikke konverteres');
  }, 120_000);

  it('a conversion that hangs is stopped at the time limit, with everything it started', async () => {
    // Like soffice → oosplash → soffice.bin, the fake starts a second process; both run
    // the script, so its path finds them.
    const fake = writeTemp(
      converter.dir,
      'soffice-hang',
      Buffer.from('#!/bin/sh\n[ "$1" = child ] || "$0" child &\nwhile :; do sleep 1; done\n'),
    );
    chmodSync(fake, 0o755);
    const error = await convertKnownType(
      attachment('hænger.docx', fixture('afgoerelse.docx')),
      'docx',
      {
        ...DEFAULT_CONVERT_LIMITS,
        tools: { qpdf: converter.tools.qpdf, soffice: fake },
        fonts: converter.fonts,
        toolTimeoutMs: 1500,
      },
    ).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'ConversionTimedOut' });
    expect((error as Error).message).toContain('1500 ms');
    expect(processesWith(fake)).toBe('');
  }, 60_000);

  it('a conversion that outlives the worker becomes a placeholder saying it took too long', async () => {
    const fake = writeTemp(
      converter.dir,
      'soffice-slow',
      Buffer.from('#!/bin/sh\nexec sleep 20\n'),
    );
    chmodSync(fake, 0o755);
    const result = await convert('langsom.docx', fixture('afgoerelse.docx'), undefined, {
      tools: { qpdf: converter.tools.qpdf, soffice: fake },
      timeoutMs: 3000,
    });
    expect(result.placeholder?.code).toBe('ConversionTimedOut');
    expect(pdfText(result.file)).toContain('konverteringen tog for lang tid');
  }, 60_000);

  it('without LibreOffice (the configured program is missing) the document becomes a placeholder', async () => {
    const result = await convert('uden.docx', fixture('afgoerelse.docx'), undefined, {
      tools: { qpdf: converter.tools.qpdf, soffice: join(converter.dir, 'findes-ikke', 'soffice') },
    });
    expect(result.placeholder?.code).toBe('ConverterMissing');
    expect(pdfText(result.file)).toContain('kræver et konverteringsprogram');
  }, 60_000);

  describe('a document that links a remote image', () => {
    // fjernbillede.docx links http://127.0.0.1:18765/bild.png (made with LibreOffice from
    // HTML); a plain LibreOffice profile fetches it twice while converting.
    let server: Server;
    const requests: string[] = [];
    beforeAll(async () => {
      server = createServer((request, response) => {
        requests.push(`${request.method} ${request.url}`);
        response.writeHead(404).end();
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(18765, '127.0.0.1', resolve);
      });
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('is converted without LibreOffice fetching anything', async () => {
      const result = await convert('fjernbillede.docx', fixture('fjernbillede.docx'));
      expect(result.placeholder).toBe(null);
      expect(pdfText(result.file)).toContain('fremmed server (Ærø)');
      expect(requests).toEqual([]);
    }, 120_000);
  });
});
