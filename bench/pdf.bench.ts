/**
 * PDF figures: bundling a case of 200 documents (about 1,000 pages of mails, text PDFs
 * and scans) against qpdf merging the same files in the same run, and mail → PDF time
 * over the fixtures. The bundle runs in a child process so that its peak RSS is its own.
 */
import { execFileSync, fork } from 'node:child_process';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
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
import type { BundlePhases } from '../src/pdf/bundle-types.js';
import { imageToPdf } from '../src/pdf/convert-image.js';
import { pdfToPdf } from '../src/pdf/convert-pdf.js';
import { DEFAULT_RASTER_LIMITS } from '../src/pdf/raster.js';
import { parseMail } from '../src/pipeline/parse.js';
import { median } from './stats.js';

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
  phases: BundlePhases;
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
    phases: result.phases,
  };
  process.send?.(report, () => process.exit(0));
}

interface PeerReport {
  ms: number;
  fsyncMs: number;
  cpuMs: number | null;
  maxRssMb: number | null;
}

/** qpdf's merge, then an fsync of its output: the bundle's write includes one. */
function runQpdf(files: string[], outFile: string): PeerReport {
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
  const ms = performance.now() - started;
  const syncStarted = performance.now();
  const fd = openSync(outFile, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { ms, fsyncMs: performance.now() - syncStarted, cpuMs, maxRssMb };
}

/** What qpdf also does: read and parse the documents, copy their pages, write the file. */
const mergePart = (phases: BundlePhases): number =>
  phases.read + phases.copy + phases.serialize + phases.write;

const ms = (value: number | null): string => (value === null ? 'n/a' : value.toFixed(0));
const load = (): string =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

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

/**
 * The bundle and qpdf take turns, ROUNDS times (POSTROBOT_PDF_BENCH_ROUNDS, default 3), so
 * that a busy spell on a shared machine hits both; medians are compared.
 */
export async function run(): Promise<void> {
  const rounds = Math.max(1, Number(process.env.POSTROBOT_PDF_BENCH_ROUNDS ?? 3) || 3);
  const dir = mkdtempSync(join(tmpdir(), 'postrobot-pdf-bench-'));
  try {
    const input = await makeCase(dir);
    const inputFile = join(dir, 'input.json');
    writeFileSync(inputFile, JSON.stringify(input));
    const files = input.documents.map((document) => document.pdfFile);
    const ours: ChildReport[] = [];
    const peer: PeerReport[] = [];
    const lines: string[] = [];
    for (let round = 1; round <= rounds; round += 1) {
      const before = load();
      const bundle = await bundleInChild(inputFile, join(dir, 'bundle.pdf'));
      const qpdf = runQpdf(files, join(dir, 'qpdf.pdf'));
      ours.push(bundle);
      peer.push(qpdf);
      const p = bundle.phases;
      lines.push(
        `  round ${round} (load ${before}): postrobot ${ms(bundle.ms)} ms wall, ${ms(bundle.cpuMs)} ms CPU, ` +
          `merge part ${ms(mergePart(p))} ms [read ${ms(p.read)}, copy ${ms(p.copy)}, serialize ${ms(p.serialize)}, write+fsync ${ms(p.write)}], ` +
          `front ${ms(p.front)}, stamps ${ms(p.stamp)}, peak RSS ${ms(bundle.maxRssMb)} MB | ` +
          `qpdf ${ms(qpdf.ms)} ms wall + fsync ${ms(qpdf.fsyncMs)}, ${ms(qpdf.cpuMs)} ms CPU, peak RSS ${ms(qpdf.maxRssMb)} MB`,
      );
    }
    const check = execFileSync(
      'sh',
      ['-c', `qpdf --check "${join(dir, 'bundle.pdf')}" >/dev/null 2>&1; echo $?`],
      { encoding: 'utf8' },
    ).trim();
    const last = ours[ours.length - 1]!;
    const oursMerge = median(ours.map((report) => mergePart(report.phases)));
    const oursTotal = median(ours.map((report) => report.ms));
    const oursCpu = median(ours.map((report) => report.cpuMs));
    const peerMs = median(peer.map((report) => report.ms + report.fsyncMs));
    const peerCpu = peer.every((report) => report.cpuMs !== null)
      ? median(peer.map((report) => report.cpuMs!))
      : null;
    process.stdout.write(
      [
        `bundle: ${input.documents.length} documents, ${last.pages} pages (cover + TOC included), ${(last.bytes / 1024 / 1024).toFixed(1)} MB, qpdf --check exit ${check}`,
        '  merge part = what qpdf --empty --pages also does: read and parse the 200 PDFs, copy their pages,',
        '  write one file (ours with fsync, so qpdf is timed with an fsync of its output too). The whole',
        '  bundle adds the cover, the table of contents, a footer stamp on every page and the outline',
        "  (font loading included); the bundle's process start and pdf-lib's import are outside both figures.",
        ...lines,
        `  median of ${rounds}: postrobot merge part ${ms(oursMerge)} ms, whole bundle ${ms(oursTotal)} ms (${ms(oursCpu)} ms CPU, peak RSS ${ms(Math.max(...ours.map((report) => report.maxRssMb)))} MB, target ≤ 500 MB); qpdf ${ms(peerMs)} ms with fsync (${ms(peerCpu)} ms CPU)`,
        `  ratio: merge part ${(oursMerge / peerMs).toFixed(2)}× qpdf (target ≤ 2×); whole bundle ${(oursTotal / peerMs).toFixed(2)}×; CPU ${peerCpu === null ? 'n/a' : `${(oursCpu / peerCpu).toFixed(2)}×`}`,
        `  load average after: ${load()} (${cpus().length} cores)`,
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
