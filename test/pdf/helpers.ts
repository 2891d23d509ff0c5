import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createDeflate, deflateSync } from 'node:zlib';
import { PDFDocument, StandardFonts, degrees } from 'pdf-lib';
import sharp from 'sharp';
import type { MailAttachment, ParsedMail } from '../../src/types.js';

/** A temp folder owned by one test; remove() deletes it. */
export function tempFolder(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'postrobot-pdf-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function attachment(
  filename: string,
  content: Uint8Array,
  contentType = 'application/octet-stream',
): MailAttachment {
  const buffer = Buffer.from(content);
  return {
    filename,
    contentType,
    size: buffer.length,
    sha256: createHash('sha256').update(buffer).digest('hex'),
    content: buffer,
    related: false,
  };
}

export function mail(overrides: Partial<ParsedMail> = {}): ParsedMail {
  return {
    messageId: '<test@example.dk>',
    subject: 'Klage over afgørelse',
    from: { name: 'Søren Ærø', address: 'soeren@example.dk' },
    to: [{ name: 'Ankestyrelsen', address: 'ast@ast.dk' }],
    cc: [],
    date: '2024-03-12T13:05:00.000Z',
    inReplyTo: null,
    references: [],
    text: 'Hej\n\nJeg klager over kommunens afgørelse.\n\nMed venlig hilsen\nSøren',
    html: null,
    attachments: [],
    headers: {},
    contentType: 'text/plain; charset=utf-8',
    ...overrides,
  };
}

/** A PDF with one page per text, drawn with a standard font (no embedding needed). */
export async function makePdf(
  texts: string[],
  options: { rotate?: number } = {},
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of texts) {
    const page = doc.addPage([595, 842]);
    if (options.rotate) page.setRotation(degrees(options.rotate));
    page.drawText(text, { x: 72, y: 700, size: 14, font });
  }
  return doc.save();
}

export function qpdf(args: string[]): { code: number; output: string } {
  try {
    return {
      code: 0,
      output: execFileSync('qpdf', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { code: failed.status, output: `${failed.stdout}${failed.stderr}` };
  }
}

/** qpdf --check; exit 0 is clean, 3 is warnings only. */
export function qpdfCheck(file: string): number {
  return qpdf(['--check', file]).code;
}

export function pdfText(file: string, page?: number): string {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  return execFileSync('pdftotext', ['-layout', ...range, file, '-'], { encoding: 'utf8' });
}

export function pdfPages(file: string): number {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
}

export function writeTemp(dir: string, name: string, bytes: Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** An encrypted PDF made by qpdf; userPassword '' means it opens without one. */
export async function encryptedPdf(dir: string, userPassword: string): Promise<Uint8Array> {
  const plain = writeTemp(dir, 'plain.pdf', await makePdf(['Hemmelig side 1', 'Hemmelig side 2']));
  const out = join(dir, `encrypted-${userPassword || 'none'}.pdf`);
  qpdf(['--encrypt', userPassword, 'ejer-kode', '256', '--', plain, out]);
  return (await import('node:fs')).readFileSync(out);
}

export function image(
  width: number,
  height: number,
  format: 'jpeg' | 'png' | 'gif',
): Promise<Buffer> {
  const canvas = sharp({
    create: { width, height, channels: 3, background: { r: 200, g: 60, b: 40 } },
  });
  return canvas[format]().toBuffer();
}

/** A grey TIFF with `pages` pages, as a fax scan would come. */
export function multipageTiff(pages: number, width = 200, pageHeight = 280): Promise<Buffer> {
  const raw = Buffer.alloc(width * pageHeight * pages, 180);
  return sharp(raw, { raw: { width, height: pageHeight * pages, channels: 1, pageHeight } })
    .tiff({ compression: 'lzw' })
    .toBuffer();
}

/** A PNG whose header declares width × height; the pixel data is a token few bytes. */
export function hugePngHeader(width: number, height: number): Buffer {
  const crc = (data: Buffer): number => {
    let c = ~0;
    for (const byte of data) {
      c ^= byte;
      for (let k = 0; k < 8; k += 1) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
    }
    return ~c >>> 0;
  };
  const chunk = (type: string, data: Buffer): Buffer => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([length, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1024))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A small PDF whose object stream inflates to `inflatedMb` megabytes: the decompression
 * bomb of pdf-lib issue #1777, which pdf-lib decodes while loading. Deflated as a stream
 * so that the test itself never holds the inflated bytes.
 */
export async function flateBombPdf(inflatedMb: number): Promise<Buffer> {
  const deflate = createDeflate({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = once(deflate, 'end');
  const block = Buffer.alloc(1024 * 1024, 0x20);
  for (let index = 0; index < inflatedMb; index += 1) {
    if (!deflate.write(block)) await once(deflate, 'drain');
  }
  deflate.end();
  await ended;
  const compressed = Buffer.concat(chunks);
  const objects = [
    '%PDF-1.5\n',
    '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n',
    '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n',
    '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n',
    `4 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${compressed.length} >>\nstream\n`,
  ].join('');
  return Buffer.concat([
    Buffer.from(objects, 'latin1'),
    compressed,
    Buffer.from('\nendstream\nendobj\ntrailer\n<< /Root 1 0 R /Size 5 >>\n%%EOF\n', 'latin1'),
  ]);
}
