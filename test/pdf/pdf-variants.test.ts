import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attachmentToPdf,
  buildCaseBundleInWorker,
  findTools,
  loadFontBytes,
  type BundleDocument,
  type ExternalTools,
  type FontBytes,
} from '../../src/pdf/index.js';
import {
  attachment,
  makePdf,
  pdfPages,
  qpdf,
  qpdfCheck,
  tempFolder,
  writeTemp,
} from './helpers.js';

/** The same bytes changed at fixed places (one in every 200, after the header). */
function flipBytes(bytes: Uint8Array): Buffer {
  const copy = Buffer.from(bytes);
  for (let at = 40; at < copy.length; at += 200) copy[at] = copy[at]! ^ 0x5a;
  return copy;
}

// Real files come written by other programs in shapes pdf-lib does not write itself, and
// damaged; these are made here by qpdf from a known three-page PDF, the same every run.
describe('PDFs as other programs write them, encrypted and damaged', () => {
  let folder: ReturnType<typeof tempFolder>;
  let fonts: FontBytes;
  let tools: ExternalTools;
  let plain: string;
  beforeAll(async () => {
    folder = tempFolder();
    fonts = await loadFontBytes();
    tools = await findTools();
    plain = writeTemp(
      folder.dir,
      'plain.pdf',
      await makePdf(['Side et om Ærø', 'Side to om Åbenrå', 'Side tre om Søborg']),
    );
  });
  afterAll(() => folder.remove());

  /** qpdf's rewrite of the three-page PDF with the given options. */
  function rewritten(name: string, args: string[]): Buffer {
    const out = join(folder.dir, name);
    expect(qpdf([...args, plain, out]).code).toBe(0);
    return readFileSync(out);
  }

  const convert = async (name: string, bytes: Uint8Array) => {
    const result = await attachmentToPdf(attachment(name, bytes), { fonts, tools });
    return { ...result, file: writeTemp(folder.dir, `${name}.converted.pdf`, result.pdf) };
  };

  it.each([
    ['object streams and a cross-reference stream', ['--object-streams=generate']],
    ['linearized (fast web view)', ['--linearize']],
    [
      'RC4 128-bit, no user password',
      ['--allow-weak-crypto', '--encrypt', '', 'ejer', '128', '--use-aes=n', '--'],
    ],
    ['RC4 40-bit, no user password', ['--allow-weak-crypto', '--encrypt', '', 'ejer', '40', '--']],
    ['AES 128-bit, no user password', ['--encrypt', '', 'ejer', '128', '--use-aes=y', '--']],
  ])(
    'keeps all the pages of a PDF with %s',
    async (label, args) => {
      const result = await convert(`${label}.pdf`, rewritten(`${label}.pdf`, args));
      expect(result.placeholder).toBe(null);
      expect(result.pages).toBe(3);
      expect(pdfPages(result.file)).toBe(3);
      expect(qpdfCheck(result.file)).toBe(0);
    },
    60_000,
  );

  it('bundles damaged and encrypted copies into a case that passes qpdf --check, with page counts that add up', async () => {
    const original = readFileSync(plain);
    const linearized = rewritten('lin.pdf', ['--linearize']);
    const objectStreams = rewritten('obj.pdf', ['--object-streams=generate']);
    const sources: [string, Uint8Array][] = [
      ['hel.pdf', original],
      ['afkortet-halv.pdf', original.subarray(0, Math.floor(original.length / 2))],
      ['afkortet-uden-slutning.pdf', original.subarray(0, original.length - 30)],
      ['bitfejl.pdf', flipBytes(original)],
      ['bitfejl-objektstroemme.pdf', flipBytes(objectStreams)],
      ['afkortet-lineariseret.pdf', linearized.subarray(0, Math.floor(linearized.length * 0.7))],
      ['kode.pdf', rewritten('kode.pdf', ['--encrypt', 'hemmelig', 'ejer', '256', '--'])],
      [
        'afkortet-krypteret.pdf',
        rewritten('krypteret.pdf', ['--encrypt', '', 'ejer', '256', '--']).subarray(0, 900),
      ],
    ];
    const documents: BundleDocument[] = [];
    for (const [index, [name, bytes]] of sources.entries()) {
      const result = await convert(name, bytes);
      expect(pdfPages(result.file), name).toBe(result.pages);
      if (result.placeholder === null) expect(qpdfCheck(result.file), name).toBe(0);
      documents.push({
        akt: String(index + 1),
        title: name,
        sender: null,
        date: null,
        kind: result.placeholder ? 'placeholder' : 'attachment',
        pdfFile: result.file,
      });
    }
    expect(documents[6]!.kind).toBe('placeholder');
    const out = join(folder.dir, 'sag.pdf');
    const bundle = await buildCaseBundleInWorker(
      {
        caseNumber: '26-000001',
        areaName: null,
        caseworker: null,
        builtAt: new Date('2026-01-05T09:00:00Z'),
        documents,
      },
      out,
    );
    expect(qpdfCheck(out)).toBe(0);
    expect(bundle.entries.every((entry) => entry.error === null)).toBe(true);
    const documentPages = documents.reduce((sum, document) => sum + pdfPages(document.pdfFile), 0);
    expect(pdfPages(out)).toBe(bundle.pages);
    expect(bundle.pages).toBe(bundle.frontPages + documentPages);
  }, 180_000);
});
