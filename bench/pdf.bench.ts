/**
 * PDF figures: bundling a case of 200 documents (about 1,000 pages of mails, text PDFs
 * and scans) against qpdf merging the same files in the same run, and mail → PDF time
 * over the fixtures. The bundle runs in a child process so that its peak RSS is its own.
 */
import { execFileSync, fork } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';
import {
  buildCaseBundle,
  loadFontBytes,
  renderMailPdf,
  type BundleDocument,
  type BundleInput,
} from '../src/pdf/index.js';
import { imageToPdf } from '../src/pdf/convert-image.js';
import { pdfToPdf } from '../src/pdf/convert-pdf.js';
import { DEFAULT_RASTER_LIMITS } from '../src/pdf/raster.js';
import { parseMail } from '../src/pipeline/parse.js';

const CHILD_FLAG = 'POSTROBOT_PDF_BENCH_CHILD';

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

function fixtureMails(): string[] {
  const root = join(repoRoot(), 'fixtures', 'mails');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.eml'))
    .sort()
    .map((name) => join(root, name));
}

async function textPdf(pages: number, seed: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let page = 0; page < pages; page += 1) {
    const p = doc.addPage([595, 842]);
    for (let line = 0; line < 45; line += 1) {
      p.drawText(
        `Dokument ${seed} side ${page + 1} linje ${line + 1}: kommunen har truffet afgørelse efter serviceloven.`,
        { x: 50, y: 790 - line * 16, size: 9, font },
      );
    }
  }
  return doc.save();
}

/** A grey "scan" with noise, so that its JPEG is as large as a real one (about 150 KB a page). */
async function scanPdf(pages: number): Promise<Uint8Array> {
  const width = 1240;
  const height = 1754;
  const raw = Buffer.alloc(width * height * pages);
  for (let index = 0; index < raw.length; index += 1)
    raw[index] = 200 + ((index * 2654435761) >>> 27);
  const tiff = await sharp(raw, {
    raw: { width, height: height * pages, channels: 1, pageHeight: height },
  })
    .tiff({ compression: 'lzw' })
    .toBuffer();
  return (await imageToPdf(tiff, 'tiff', DEFAULT_RASTER_LIMITS)).pdf;
}

/**
 * 200 documents as the daemon stores them: 80 mails (from the fixtures), 100 text PDFs of
 * 11–17 pages, 20 scans of 1–3 pages.
 */
export async function makeCase(dir: string): Promise<BundleInput> {
  const fonts = await loadFontBytes();
  const mails = fixtureMails();
  const documents: BundleDocument[] = [];
  for (let index = 0; index < 200; index += 1) {
    const akt = String(index + 1);
    const file = join(dir, `${akt}.pdf`);
    let bytes: Uint8Array;
    let kind: BundleDocument['kind'] = 'attachment';
    if (index % 5 < 2 && mails.length > 0) {
      const parsed = await parseMail(readFileSync(mails[index % mails.length]!));
      bytes = await renderMailPdf(parsed, { fonts });
      kind = 'mail';
    } else if (index % 5 < 4 && index % 10 !== 3) {
      // A PDF attachment is stored as its conversion made it (pages copied into a fresh file).
      bytes = (
        await pdfToPdf(await textPdf(11 + (index % 7), index), {
          qpdf: null,
          maxPages: 5000,
          timeoutMs: 60_000,
        })
      ).pdf;
    } else {
      bytes = await scanPdf(1 + (index % 3));
    }
    writeFileSync(file, bytes);
    documents.push({
      akt,
      title: `Dokument ${akt}`,
      sender: 'Kommunen',
      date: '2024-03-01',
      kind,
      pdfFile: file,
    });
  }
  return {
    caseNumber: '24-123456',
    areaName: 'Børn og unge',
    caseworker: 'Bench',
    builtAt: new Date(),
    documents,
  };
}

interface ChildReport {
  ms: number;
  cpuMs: number;
  maxRssMb: number;
  pages: number;
  bytes: number;
}

function bundleInChild(inputFile: string, outFile: string): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    // The same young-generation size as buildCaseBundleInWorker gives its worker.
    const child = fork(fileURLToPath(import.meta.url), [], {
      execArgv: [...process.execArgv, '--max-semi-space-size=16'],
      env: { ...process.env, [CHILD_FLAG]: JSON.stringify({ inputFile, outFile }) },
    });
    child.once('message', (report) => resolve(report as ChildReport));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? undefined : reject(new Error(`bundle child exited ${code}`)),
    );
  });
}

async function childMain(job: { inputFile: string; outFile: string }): Promise<void> {
  const input = JSON.parse(readFileSync(job.inputFile, 'utf8')) as BundleInput;
  input.builtAt = new Date(input.builtAt);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await buildCaseBundle(input, job.outFile);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const report: ChildReport = {
    ms,
    cpuMs: (used.user + used.system) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    pages: result.pages,
    bytes: result.bytes,
  };
  process.send?.(report, () => process.exit(0));
}

function runQpdf(
  files: string[],
  outFile: string,
): { ms: number; cpuMs: number | null; maxRssMb: number | null } {
  const started = performance.now();
  let maxRssMb: number | null = null;
  let cpuMs: number | null = null;
  if (existsSync('/usr/bin/time')) {
    // GNU time writes its figures to stderr after qpdf's own output.
    const out = execFileSync(
      'sh',
      [
        '-c',
        '/usr/bin/time -f "maxrss=%M cpu=%U+%S" "$@" 2>&1 1>/dev/null',
        'sh',
        'qpdf',
        '--empty',
        '--pages',
        ...files,
        '--',
        outFile,
      ],
      { encoding: 'utf8' },
    );
    const rss = /maxrss=(\d+)/.exec(out);
    const cpu = /cpu=([\d.]+)\+([\d.]+)/.exec(out);
    if (rss) maxRssMb = Number(rss[1]) / 1024;
    if (cpu) cpuMs = (Number(cpu[1]) + Number(cpu[2])) * 1000;
  } else {
    execFileSync('qpdf', ['--empty', '--pages', ...files, '--', outFile]);
  }
  return { ms: performance.now() - started, cpuMs, maxRssMb };
}

async function mailFigures(): Promise<void> {
  const mails = fixtureMails();
  if (mails.length === 0) {
    process.stdout.write('mail → PDF: no fixture mails found\n');
    return;
  }
  const fonts = await loadFontBytes();
  const parsed = await Promise.all(
    mails.map(async (file) => parseMail(readFileSync(file)).catch(() => null)),
  );
  const usable = parsed.filter((mail) => mail !== null);
  await renderMailPdf(usable[0]!, { fonts }); // warm-up: first use loads fontkit's tables
  const started = performance.now();
  let pages = 0;
  for (const mail of usable)
    pages += (await PDFDocument.load(await renderMailPdf(mail, { fonts }))).getPageCount();
  const ms = performance.now() - started;
  process.stdout.write(
    `mail → PDF: ${usable.length} fixture mails, ${pages} pages, ${(ms / usable.length).toFixed(1)} ms per mail (incl. re-reading each PDF to count pages)\n`,
  );
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'postrobot-pdf-bench-'));
  try {
    const input = await makeCase(dir);
    const inputFile = join(dir, 'input.json');
    writeFileSync(inputFile, JSON.stringify(input));
    const files = input.documents.map((document) => document.pdfFile);
    const ours = await bundleInChild(inputFile, join(dir, 'bundle.pdf'));
    const peer = runQpdf(files, join(dir, 'qpdf.pdf'));
    const check = execFileSync(
      'sh',
      ['-c', `qpdf --check "${join(dir, 'bundle.pdf')}" >/dev/null 2>&1; echo $?`],
      { encoding: 'utf8' },
    ).trim();
    process.stdout.write(
      [
        `bundle: ${input.documents.length} documents, ${ours.pages} pages (cover + TOC included), ${(ours.bytes / 1024 / 1024).toFixed(1)} MB, qpdf --check exit ${check}`,
        `  postrobot buildCaseBundle (cold process): ${ours.ms.toFixed(0)} ms wall, ${ours.cpuMs.toFixed(0)} ms CPU, peak RSS ${ours.maxRssMb.toFixed(0)} MB (target ≤ 500 MB)`,
        `  peer qpdf --empty --pages: ${peer.ms.toFixed(0)} ms wall, ${peer.cpuMs === null ? 'n/a' : peer.cpuMs.toFixed(0)} ms CPU, peak RSS ${peer.maxRssMb === null ? 'n/a' : peer.maxRssMb.toFixed(0)} MB`,
        `  ratio: ${(ours.ms / peer.ms).toFixed(2)}× qpdf's wall time (target ≤ 2×); ours also draws the cover, TOC, ${ours.pages} stamps and the outline, and fsyncs`,
        '',
      ].join('\n'),
    );
    await mailFigures();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const childJob = process.env[CHILD_FLAG];
if (childJob) void childMain(JSON.parse(childJob) as { inputFile: string; outFile: string });
