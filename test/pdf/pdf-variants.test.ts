import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCaseBundleInWorker, type BundleDocument } from '../../src/pdf/index.js';
import { makePdf, pdfPages, pdfText, qpdf, qpdfCheck, writeTemp } from './helpers.js';
import { useAttachmentConverter } from './converter.js';

/**
 * A PDF written by hand: objects 1 … n from the given bodies (a Buffer body is a stream's
 * data, its dictionary before it in `dicts`), with a correct cross-reference table.
 */
function handMadePdf(bodies: (string | { dict: string; data: Buffer })[]): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  bodies.forEach((body, index) => {
    offsets.push(length);
    const chunk =
      typeof body === 'string'
        ? Buffer.from(`${index + 1} 0 obj\n${body}\nendobj\n`, 'latin1')
        : Buffer.concat([
            Buffer.from(`${index + 1} 0 obj\n${body.dict}\nstream\n`, 'latin1'),
            body.data,
            Buffer.from('\nendstream\nendobj\n', 'latin1'),
          ]);
    parts.push(chunk);
    length += chunk.length;
  });
  const xref = [
    'xref',
    `0 ${bodies.length + 1}`,
    '0000000000 65535 f ',
    ...offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n `),
    'trailer',
    `<< /Size ${bodies.length + 1} /Root 1 0 R >>`,
    'startxref',
    String(length),
    '%%EOF',
    '',
  ].join('\n');
  return Buffer.concat([...parts, Buffer.from(xref, 'latin1')]);
}

/** Catalog, pages and `count` pages each drawing `content` (object 3 + count …). */
function pagesWith(
  contents: (string | { dict: string; data: Buffer })[],
  resources = '<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>',
): Buffer {
  const count = contents.length;
  const pageRefs = Array.from({ length: count }, (_, index) => `${3 + index * 2} 0 R`).join(' ');
  const bodies: (string | { dict: string; data: Buffer })[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${pageRefs}] /Count ${count} >>`,
  ];
  contents.forEach((content, index) => {
    bodies.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources ${resources} /Contents ${4 + index * 2} 0 R >>`,
    );
    bodies.push(
      typeof content === 'string'
        ? { dict: `<< /Length ${content.length} >>`, data: Buffer.from(content, 'latin1') }
        : content,
    );
  });
  return handMadePdf(bodies);
}

const text = (words: string): string => `BT /F1 14 Tf 72 700 Td (${words}) Tj ET`;

/** The same bytes changed at fixed places (one in every 200, after the header). */
function flipBytes(bytes: Uint8Array): Buffer {
  const copy = Buffer.from(bytes);
  for (let at = 40; at < copy.length; at += 200) copy[at] = copy[at]! ^ 0x5a;
  return copy;
}

// Real files come written by other programs in shapes pdf-lib does not write itself, and
// damaged; these are made here by qpdf from a known three-page PDF, the same every run.
describe('PDFs as other programs write them, encrypted and damaged', () => {
  const converter = useAttachmentConverter();
  const convert = (name: string, bytes: Uint8Array) => converter.convert(name, bytes);
  let plain: string;
  beforeAll(async () => {
    plain = writeTemp(
      converter.dir,
      'plain.pdf',
      await makePdf(['Side et om Ærø', 'Side to om Åbenrå', 'Side tre om Søborg']),
    );
  });

  /** qpdf's rewrite of the three-page PDF with the given options. */
  function rewritten(name: string, args: string[]): Buffer {
    const out = join(converter.dir, name);
    expect(qpdf([...args, plain, out]).code).toBe(0);
    return readFileSync(out);
  }

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

  it('a page whose compressed content is damaged says so; the other pages and the count stay', async () => {
    const good = deflateSync(text('Hel side'));
    const damaged = Buffer.from(
      deflateSync(text('Beskadiget side med en lang nok tekst til at blive beskadiget')),
    );
    damaged.fill(0xff, 4, 20);
    const pdf = pagesWith([
      { dict: `<< /Length ${good.length} /Filter /FlateDecode >>`, data: good },
      { dict: `<< /Length ${damaged.length} /Filter /FlateDecode >>`, data: damaged },
    ]);
    const result = await convert('beskadiget-side.pdf', pdf);
    expect(result.placeholder).toBe(null);
    expect(result.pages).toBe(2);
    expect(qpdfCheck(result.file)).toBe(0);
    expect(pdfText(result.file, 1)).toContain('Hel side');
    expect(pdfText(result.file, 2)).toContain('Siden er beskadiget');
  }, 60_000);

  it('reads compressed content whose length is an indirect object and whose data ends in a line feed', async () => {
    // pdf-lib drops a line end before "endstream" when it cannot read the length; this
    // finds content whose compressed form ends in 0x0a, so that byte matters.
    let content = '';
    let data = Buffer.alloc(0);
    for (let index = 0; data.at(-1) !== 0x0a; index += 1) {
      content = text(`Side med laengde som objekt ${index}`);
      data = deflateSync(content);
    }
    const pdf = handMadePdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> /Contents 4 0 R >>',
      { dict: '<< /Length 5 0 R /Filter /FlateDecode >>', data },
      String(data.length),
    ]);
    expect(qpdfCheck(writeTemp(converter.dir, 'indirekte.pdf', pdf))).toBe(0);
    const result = await convert('indirekte-laengde.pdf', pdf);
    expect(result.placeholder).toBe(null);
    expect(qpdfCheck(result.file)).toBe(0);
    expect(pdfText(result.file)).toContain('Side med laengde som objekt');
  }, 60_000);

  it('a page whose resources cannot be parsed still gets its stamp in the bundle', async () => {
    // Stored as it came (as a document filed before conversions dropped such objects).
    const bodies = [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources 5 0 R /Rotate 6 0 R /Contents 4 0 R >>',
      {
        dict: `<< /Length ${text('Side uden ressourcer').length} >>`,
        data: Buffer.from(text('Side uden ressourcer')),
      },
      '<< /Font << /F1 ]] >> >> )',
      '/NotANumber',
    ];
    const file = writeTemp(converter.dir, 'ressourcer.pdf', handMadePdf(bodies));
    const out = join(converter.dir, 'sag-ressourcer.pdf');
    const bundle = await buildCaseBundleInWorker(
      {
        caseNumber: '26-000002',
        areaName: null,
        caseworker: null,
        builtAt: new Date('2026-01-05T09:00:00Z'),
        documents: [
          {
            akt: '1',
            title: 'ressourcer.pdf',
            sender: null,
            date: null,
            kind: 'attachment',
            pdfFile: file,
          },
        ],
      },
      out,
    );
    expect(bundle.entries[0]).toMatchObject({ pages: 1, error: null });
    expect(qpdfCheck(out)).toBe(0);
    expect(pdfText(out, bundle.pages).replace(/\s+/g, ' ')).toContain(
      `Sag 26-000002 · Akt 1 · side ${bundle.pages} af ${bundle.pages}`,
    );
  }, 60_000);

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
    const out = join(converter.dir, 'sag.pdf');
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
