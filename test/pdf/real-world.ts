/**
 * The issue's "checked by": cases built from real-world PDFs and images the project has
 * never seen, with encrypted and damaged copies of them, bundled as the daemon does
 * (every attachment converted in a worker with limits, the bundle built in a worker).
 * Every bundle must pass `qpdf --check`, its page count must be the cover and contents
 * plus the pages of each document, and this process must still be alive at the end.
 *
 *   npx tsx test/pdf/real-world.ts [FILE_OR_FOLDER ...]
 *
 * Without arguments it looks in /usr/share, /usr/lib and ~/.pyenv for PDFs and images
 * under 5 MB (third-party files: nothing here is committed). Exit 1 when a check fails.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, extname, join } from 'node:path';
import {
  attachmentToPdf,
  buildCaseBundleInWorker,
  findTools,
  loadFontBytes,
  type BundleDocument,
} from '../../src/pdf/index.js';
import { attachment, pdfPages, qpdf, tempFolder } from './helpers.js';

const EXTENSIONS = new Set(['.pdf', '.jpg', '.jpeg', '.png', '.gif', '.tif', '.tiff']);
const MAX_BYTES = 5 * 1024 * 1024;
/** Most images taken from one folder: icon themes hold thousands of near-identical PNGs. */
const IMAGES_PER_FOLDER = 3;
const DOCUMENTS_PER_CASE = 40;
/** Images taken in all (without arguments), spread over the folders they were found in. */
const MAX_IMAGES = 60;

function walk(root: string, found: string[]): void {
  let entries;
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch {
    return;
  }
  let images = 0;
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) walk(path, found);
    else if (entry.isFile() && EXTENSIONS.has(extname(entry.name).toLowerCase())) {
      const isPdf = extname(entry.name).toLowerCase() === '.pdf';
      if (!isPdf && images >= IMAGES_PER_FOLDER) continue;
      if (statSync(path).size > MAX_BYTES || statSync(path).size === 0) continue;
      if (!isPdf) images += 1;
      found.push(path);
    }
  }
}

/** A deterministic generator, so that the damaged copies are the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** One byte in a thousand changed, away from the first 16 bytes (so the type is still sniffed). */
function flipped(bytes: Buffer, seed: number): Buffer {
  const copy = Buffer.from(bytes);
  const next = random(seed);
  const flips = Math.max(1, Math.floor(copy.length / 1000));
  for (let index = 0; index < flips; index += 1) {
    const at = 16 + Math.floor(next() * Math.max(1, copy.length - 16));
    if (at < copy.length) copy[at] = copy[at]! ^ (1 + Math.floor(next() * 255));
  }
  return copy;
}

interface Source {
  name: string;
  bytes: Buffer;
  /** Pages the converted document must have, where that is known (an intact PDF). */
  expectPages: number | null;
}

/** Page count qpdf reads, or null when it cannot read the file. */
function qpdfPages(file: string): number | null {
  const result = qpdf(['--show-npages', file]);
  return result.code === 0 || result.code === 3 ? Number(result.output.trim()) : null;
}

function variants(file: string, dir: string, index: number): Source[] {
  const bytes = readFileSync(file);
  const name = basename(file);
  const sources: Source[] = [];
  const isPdf = extname(file).toLowerCase() === '.pdf';
  sources.push({ name, bytes, expectPages: isPdf ? qpdfPages(file) : 1 });
  sources.push({
    name: `afkortet-${name}`,
    bytes: bytes.subarray(0, Math.floor(bytes.length * 0.6)),
    expectPages: null,
  });
  sources.push({ name: `bitfejl-${name}`, bytes: flipped(bytes, index + 1), expectPages: null });
  if (!isPdf) return sources;
  const pages = qpdfPages(file);
  const derived: [string, string[], number | null][] = [
    ['krypteret-uden-kode', ['--encrypt', '', 'ejer', '256', '--'], pages],
    [
      'krypteret-rc4',
      ['--allow-weak-crypto', '--encrypt', '', 'ejer', '128', '--use-aes=n', '--'],
      pages,
    ],
    ['kode', ['--encrypt', 'hemmelig', 'ejer', '256', '--'], 1],
    ['objektstroemme', ['--object-streams=generate'], pages],
    ['lineariseret', ['--linearize'], pages],
  ];
  for (const [label, args, expectPages] of derived) {
    const out = join(dir, `${label}-${index}.pdf`);
    const result = qpdf([...args, file, out]);
    if ((result.code === 0 || result.code === 3) && existsSync(out))
      sources.push({ name: `${label}-${name}`, bytes: readFileSync(out), expectPages });
  }
  const cairo = join(dir, `cairo-${index}.pdf`);
  try {
    execFileSync('pdftocairo', ['-pdf', file, cairo], { stdio: 'ignore', timeout: 120_000 });
    sources.push({ name: `cairo-${name}`, bytes: readFileSync(cairo), expectPages: pages });
  } catch {
    // pdftocairo could not read it either
  }
  return sources;
}

/**
 * PDFs from producers we did not write: LibreOffice's export of some HTML manuals in
 * /usr/share/doc, and ImageMagick's of a few of the images (one file, several pages).
 */
function otherProducers(dir: string, images: string[]): string[] {
  const files: string[] = [];
  const html = [
    '/usr/share/doc/bc/bc.html',
    '/usr/share/doc/bzip2/manual.html',
    '/usr/share/doc/fontconfig/fontconfig-user.html',
    '/usr/share/doc/base-passwd/users-and-groups.html',
  ].filter((file) => existsSync(file));
  const soffice = ['/usr/bin/soffice'].find((file) => existsSync(file));
  if (soffice && html.length > 0) {
    try {
      execFileSync(
        soffice,
        [
          `-env:UserInstallation=file://${join(dir, 'lo-profile')}`,
          '--headless',
          '--convert-to',
          'pdf:writer_web_pdf_Export',
          '--outdir',
          join(dir, 'lo'),
          ...html,
        ],
        { stdio: 'ignore', timeout: 300_000 },
      );
      for (const file of html) {
        const out = join(dir, 'lo', `${basename(file, '.html')}.pdf`);
        if (existsSync(out)) files.push(out);
      }
    } catch {
      // LibreOffice missing or failed: the other files still count
    }
  }
  const magick = ['/usr/local/bin/convert', '/usr/bin/convert'].find((file) => existsSync(file));
  const some = images.filter((file) => /\.(jpe?g|png|tiff?)$/i.test(file)).slice(0, 4);
  if (magick && some.length > 0) {
    const out = join(dir, 'imagemagick.pdf');
    try {
      execFileSync(magick, [...some, out], { stdio: 'ignore', timeout: 120_000 });
      if (existsSync(out)) files.push(out);
    } catch {
      // no ImageMagick PDF writer here
    }
  }
  return files;
}

const VARIANTS =
  /^(afkortet|bitfejl|krypteret-uden-kode|krypteret-rc4|kode|objektstroemme|lineariseret|cairo)-/;

/** The kind of copy a document name says it is, or null for an original. */
const variantOf = (name: string): string | null => VARIANTS.exec(name)?.[1] ?? null;

/** Every nth, so that the sample spreads over all the folders. */
function spread<T>(items: T[], most: number): T[] {
  if (items.length <= most) return items;
  return Array.from(
    { length: most },
    (_, index) => items[Math.floor((index * items.length) / most)]!,
  );
}

async function main(): Promise<void> {
  const folder = tempFolder();
  const failures: string[] = [];
  const fail = (message: string): void => {
    failures.push(message);
    process.stdout.write(`FAIL ${message}\n`);
  };
  try {
    const roots = process.argv.slice(2);
    const files: string[] = [];
    for (const root of roots.length
      ? roots
      : ['/usr/share', '/usr/lib', join(homedir(), '.pyenv')]) {
      if (existsSync(root) && statSync(root).isFile()) files.push(root);
      else walk(root, files);
    }
    if (roots.length === 0) {
      const pdfs = files.filter((file) => file.toLowerCase().endsWith('.pdf'));
      const images = spread(
        files.filter((file) => !file.toLowerCase().endsWith('.pdf')),
        MAX_IMAGES,
      );
      files.length = 0;
      files.push(...pdfs, ...images, ...otherProducers(folder.dir, images));
    }
    const fonts = await loadFontBytes();
    const tools = await findTools();
    const sources = files.flatMap((file, index) => variants(file, folder.dir, index));
    const pdfCount = files.filter((file) => file.toLowerCase().endsWith('.pdf')).length;
    process.stdout.write(
      `${files.length} files (${pdfCount} PDFs, ${files.length - pdfCount} images) → ${sources.length} documents with their encrypted and damaged copies\n`,
    );
    const placeholders = new Map<string, number>();
    const documents: BundleDocument[] = [];
    for (const [index, source] of sources.entries()) {
      const converted = await attachmentToPdf(attachment(source.name, source.bytes), {
        fonts,
        tools,
        timeoutMs: 120_000,
      });
      const file = join(folder.dir, `doc-${index}.pdf`);
      writeFileSync(file, converted.pdf);
      const code = converted.placeholder?.code ?? 'ok';
      if (converted.placeholder && variantOf(source.name) === null)
        process.stdout.write(
          `placeholder for an original: ${source.name}: ${converted.placeholder.reason}\n`,
        );
      placeholders.set(code, (placeholders.get(code) ?? 0) + 1);
      const actual = pdfPages(file);
      if (actual !== converted.pages)
        fail(`${source.name}: says ${converted.pages} pages, its PDF has ${actual}`);
      if (
        source.expectPages !== null &&
        converted.placeholder === null &&
        actual !== source.expectPages
      )
        fail(`${source.name}: ${actual} pages, the original has ${source.expectPages}`);
      if (
        source.expectPages !== null &&
        source.expectPages > 1 &&
        converted.placeholder !== null &&
        !source.name.startsWith('kode-')
      )
        fail(
          `${source.name}: a readable PDF became a placeholder (${converted.placeholder.reason})`,
        );
      documents.push({
        akt: String(index + 1),
        title: source.name,
        sender: null,
        date: null,
        kind: converted.placeholder ? 'placeholder' : 'attachment',
        pdfFile: file,
      });
    }
    process.stdout.write(
      `converted: ${[...placeholders].map(([code, count]) => `${code} ${count}`).join(', ')}\n`,
    );
    for (
      let start = 0, number = 1;
      start < documents.length;
      start += DOCUMENTS_PER_CASE, number += 1
    ) {
      const caseDocuments = documents.slice(start, start + DOCUMENTS_PER_CASE);
      const out = join(folder.dir, `sag-${number}.pdf`);
      const result = await buildCaseBundleInWorker(
        {
          caseNumber: `26-${String(number).padStart(6, '0')}`,
          areaName: 'Virkelige filer',
          caseworker: null,
          builtAt: new Date(),
          documents: caseDocuments,
        },
        out,
      ).catch((error: unknown) => error as Error);
      if (result instanceof Error) {
        fail(`case ${number}: no bundle (${result.message})`);
        continue;
      }
      const check = qpdf(['--check', out]).code;
      const pages = pdfPages(out);
      const sum =
        result.frontPages + result.entries.reduce((total, entry) => total + entry.pages, 0);
      const documentPages = caseDocuments.reduce(
        (total, document) => total + pdfPages(document.pdfFile),
        0,
      );
      const unreadable = result.entries.filter((entry) => entry.error !== null);
      process.stdout.write(
        `case ${number}: ${caseDocuments.length} documents, ${pages} pages, qpdf --check exit ${check}, ${unreadable.length} unreadable in the bundle\n`,
      );
      if (check !== 0) {
        fail(`case ${number}: qpdf --check exit ${check}`);
        process.stdout.write(
          `${qpdf(['--check', out]).output.split('\n').slice(0, 6).join('\n')}\n`,
        );
        for (const document of caseDocuments) {
          const alone = qpdf(['--check', document.pdfFile]).code;
          if (alone !== 0)
            fail(`  akt ${document.akt} (${document.title}): its PDF, qpdf --check exit ${alone}`);
        }
      }
      if (pages !== result.pages || pages !== sum || sum !== result.frontPages + documentPages)
        fail(
          `case ${number}: ${pages} pages in the file, ${result.pages} reported, ${sum} by entries, ${result.frontPages} + ${documentPages} by documents`,
        );
      for (const entry of unreadable)
        fail(
          `case ${number}: akt ${entry.akt} (${entry.title}) unreadable in the bundle: ${entry.error}`,
        );
    }
    process.stdout.write(
      `${failures.length === 0 ? 'all checks passed' : `${failures.length} checks failed`}; process alive (pid ${process.pid}); sha256 of the file list ${createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12)}\n`,
    );
  } finally {
    // A failure leaves the files for a look; a clean run leaves nothing.
    if (failures.length === 0) folder.remove();
    else process.stdout.write(`files kept in ${folder.dir}\n`);
  }
  process.exitCode = failures.length === 0 ? 0 : 1;
}

await main();
