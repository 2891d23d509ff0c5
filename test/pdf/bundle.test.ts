import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildCaseBundle,
  buildCaseBundleInWorker,
  compareAkt,
  renderMailPdf,
  type BundleDocument,
  type BundleInput,
} from '../../src/pdf/index.js';
import {
  image,
  mail,
  makePdf,
  pdfPages,
  pdfText,
  qpdfCheck,
  tempFolder,
  writeTemp,
} from './helpers.js';

interface Bookmark {
  title: string;
  page: number;
  children: Bookmark[];
}

/** The outline as pdf.js reads it, with 1-based target pages. */
async function bookmarks(file: string): Promise<Bookmark[]> {
  const pdf = await getDocument({
    data: new Uint8Array(readFileSync(file)),
    isEvalSupported: false,
  }).promise;
  type Item = { title: string; dest: unknown; items: Item[] };
  const walk = async (items: Item[]): Promise<Bookmark[]> =>
    Promise.all(
      items.map(async (item) => {
        const dest = item.dest as [{ num: number; gen: number }];
        return {
          title: item.title,
          page: (await pdf.getPageIndex(dest[0])) + 1,
          children: await walk(item.items),
        };
      }),
    );
  const outline = ((await pdf.getOutline()) ?? []) as Item[];
  const result = await walk(outline);
  await pdf.destroy();
  return result;
}

describe('the combined case PDF', () => {
  let folder: ReturnType<typeof tempFolder>;
  beforeEach(() => {
    folder = tempFolder();
  });
  afterEach(() => folder.remove());

  async function caseInput(): Promise<BundleInput> {
    const mailPdf = await renderMailPdf(
      mail({
        subject: 'Klage over anbringelse',
        text: 'Vi klager over afgørelsen om anbringelse.',
      }),
    );
    const documents: BundleDocument[] = [
      {
        akt: '1',
        title: 'Klage over anbringelse',
        sender: 'Søren Ærø',
        date: '2024-03-12T13:05:00Z',
        kind: 'mail',
        pdfFile: writeTemp(folder.dir, '1.pdf', mailPdf),
      },
      {
        akt: '1.1',
        title: 'Afgørelse fra kommunen.pdf',
        sender: 'Søren Ærø',
        date: '2024-03-12T13:05:00Z',
        kind: 'attachment',
        pdfFile: writeTemp(
          folder.dir,
          '1.1.pdf',
          await makePdf(['Afgorelse side 1', 'Afgorelse side 2', 'Afgorelse side 3']),
        ),
      },
      {
        akt: '2',
        title: 'Partshøring',
        sender: 'Kommunen',
        date: '2024-04-02T08:00:00Z',
        kind: 'mail',
        pdfFile: writeTemp(folder.dir, '2.pdf', await makePdf(['Partshoring'])),
      },
      {
        akt: '10',
        title: 'Afgørelse',
        sender: 'Ankestyrelsen',
        date: '2024-06-01T08:00:00Z',
        kind: 'mail',
        pdfFile: writeTemp(folder.dir, '10.pdf', await makePdf(['Akt ti side 1', 'Akt ti side 2'])),
      },
      {
        akt: '9',
        title: 'Scannet brev',
        sender: null,
        date: null,
        kind: 'attachment',
        pdfFile: writeTemp(
          folder.dir,
          '9.pdf',
          await makePdf(['Liggende scanning'], { rotate: 90 }),
        ),
      },
    ];
    return {
      caseNumber: '24-123456',
      areaName: 'Børn og unge',
      caseworker: 'Åse Ølgaard',
      builtAt: new Date('2024-06-02T10:00:00Z'),
      documents,
    };
  }

  it('has a cover, a table of contents with page numbers, the documents in akt order, and passes qpdf --check', async () => {
    const out = join(folder.dir, 'sag.pdf');
    const result = await buildCaseBundle(await caseInput(), out, { timeZone: 'Europe/Copenhagen' });
    expect(qpdfCheck(out)).toBe(0);
    expect(result.entries.map((entry) => entry.akt)).toEqual(['1', '1.1', '2', '9', '10']);
    expect(result.frontPages).toBe(2);
    expect(result.pages).toBe(2 + 1 + 3 + 1 + 1 + 2);
    expect(pdfPages(out)).toBe(result.pages);
    const cover = pdfText(out, 1);
    expect(cover).toContain('Sag 24-123456');
    expect(cover).toMatch(/Område:\s+Børn og unge/);
    expect(cover).toMatch(/Sagsbehandler:\s+Åse Ølgaard/);
    expect(cover).toMatch(/Dokumenter:\s+5/);
    expect(cover).toMatch(/Sider i alt:\s+10/);
    const toc = pdfText(out, 2);
    expect(toc).toMatch(/1\s+Klage over anbringelse\s+Søren Ærø\s+12\.03\.2024\s+3\n/);
    expect(toc).toMatch(/1\.1\s+Afgørelse fra kommunen\.pdf.*\s4\n/);
    expect(toc).toMatch(/10\s+Afgørelse\s+Ankestyrelsen.*\s9\n/);
    expect(pdfText(out, 5)).toContain('Afgorelse side 2');
    expect(pdfText(out, 9)).toContain('Akt ti side 1');
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('the bundle has a bookmark per document and a footer on every page', async () => {
    const out = join(folder.dir, 'sag.pdf');
    const result = await buildCaseBundle(await caseInput(), out);
    for (let page = 1; page <= result.pages; page += 1) {
      const where =
        page === 1
          ? 'Forside'
          : page === 2
            ? 'Indhold'
            : `Akt ${result.entries.find((e) => page >= e.firstPage && page < e.firstPage + e.pages)!.akt}`;
      expect(pdfText(out, page).replace(/\s+/g, ' '), `page ${page}`).toContain(
        `Sag 24-123456 · ${where} · side ${page} af ${result.pages}`,
      );
    }
    const outline = await bookmarks(out);
    expect(outline.map((b) => [b.title.split(' – ')[0], b.page])).toEqual([
      ['Akt 1', 3],
      ['Akt 2', 7],
      ['Akt 9', 8],
      ['Akt 10', 9],
    ]);
    expect(outline[0]!.title).toBe('Akt 1 – Klage over anbringelse (Søren Ærø, 12.03.2024)');
    expect(outline[0]!.children.map((b) => [b.title.split(' – ')[0], b.page])).toEqual([
      ['Akt 1.1', 4],
    ]);
  });

  it('orders akt numbers as numbers, part by part', () => {
    expect(['10', '3.10', '2', '3', '3.2', '3.1', '9'].sort(compareAkt)).toEqual([
      '2',
      '3',
      '3.1',
      '3.2',
      '3.10',
      '9',
      '10',
    ]);
  });

  it('a document whose PDF cannot be read gets a notice page and the bundle is still whole', async () => {
    const input = await caseInput();
    input.documents[2] = {
      ...input.documents[2]!,
      pdfFile: writeTemp(folder.dir, 'broken.pdf', Buffer.from('%PDF-1.4\nthis is not a pdf')),
    };
    input.documents[3] = { ...input.documents[3]!, pdfFile: join(folder.dir, 'missing.pdf') };
    const out = join(folder.dir, 'sag.pdf');
    const result = await buildCaseBundle(input, out);
    expect(qpdfCheck(out)).toBe(0);
    const missing = result.entries.find((entry) => entry.akt === '10')!;
    expect(missing.error).toMatch(/ENOENT/);
    expect(pdfText(out, missing.firstPage)).toContain('Dokumentets PDF kunne ikke læses');
  });

  it('replaces an existing bundle atomically and leaves no temp file behind', async () => {
    const out = join(folder.dir, 'sag.pdf');
    writeFileSync(out, 'old bundle');
    await buildCaseBundle(await caseInput(), out);
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
    expect(readdirSync(folder.dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('a long case gets a table of contents over several pages whose entries point at the right pages', async () => {
    const pdf = writeTemp(folder.dir, 'one.pdf', await makePdf(['En side']));
    const documents: BundleDocument[] = Array.from({ length: 120 }, (_, index) => ({
      akt: String(index + 1),
      title: `Dokument nummer ${index + 1}`,
      sender: 'Kommunen',
      date: '2024-01-01',
      kind: 'mail',
      pdfFile: pdf,
    }));
    const out = join(folder.dir, 'lang.pdf');
    const result = await buildCaseBundle(
      { caseNumber: '24-000001', areaName: null, caseworker: null, builtAt: new Date(), documents },
      out,
    );
    expect(result.frontPages).toBeGreaterThan(2);
    expect(result.pages).toBe(result.frontPages + 120);
    expect(qpdfCheck(out)).toBe(0);
    const last = result.entries[119]!;
    expect(last.firstPage).toBe(result.pages);
    expect(pdfText(out, result.frontPages)).toMatch(
      new RegExp(`120\\s+Dokument nummer 120.*\\s${result.pages}\\n`),
    );
    expect(pdfText(out, last.firstPage)).toContain(
      `Akt 120 · side ${result.pages} af ${result.pages}`,
    );
  });

  it('builds in a worker thread with the same result, and images survive the merge', async () => {
    const input = await caseInput();
    const { imageToPdf } = await import('../../src/pdf/convert-image.js');
    const { DEFAULT_RASTER_LIMITS } = await import('../../src/pdf/raster.js');
    const photo = await imageToPdf(await image(1200, 800, 'jpeg'), 'jpeg', DEFAULT_RASTER_LIMITS);
    input.documents.push({
      akt: '2.1',
      title: 'foto.jpg',
      sender: 'Kommunen',
      date: null,
      kind: 'attachment',
      pdfFile: writeTemp(folder.dir, 'foto.pdf', photo.pdf),
    });
    const out = join(folder.dir, 'worker.pdf');
    const result = await buildCaseBundleInWorker(input, out);
    expect(result.pages).toBe(11);
    expect(qpdfCheck(out)).toBe(0);
    expect(result.entries.map((entry) => entry.akt)).toEqual(['1', '1.1', '2', '2.1', '9', '10']);
  });
});
