import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { attachmentToPdf } from '../../src/pdf/index.js';
import {
  attachment,
  encryptedPdf,
  flateBombPdf,
  hugePngHeader,
  image,
  makePdf,
  multipageTiff,
  pdfPages,
  pdfText,
  qpdfCheck,
  writeTemp,
} from './helpers.js';
import { useAttachmentConverter } from './converter.js';

describe('an attachment turned into PDF pages', () => {
  const converter = useAttachmentConverter();
  const convert = converter.convert;

  it('copies the pages of a PDF', async () => {
    const result = await convert(
      'afgørelse.pdf',
      await makePdf(['Side et', 'Side to', 'Side tre']),
      'application/pdf',
    );
    expect(result).toMatchObject({ pages: 3, placeholder: null, detectedType: 'pdf' });
    expect(pdfPages(result.file)).toBe(3);
    expect(pdfText(result.file, 2)).toContain('Side to');
    expect(qpdfCheck(result.file)).toBe(0);
  });

  it('opens a PDF encrypted without a user password through qpdf', async () => {
    expect(converter.tools.qpdf).not.toBeNull();
    const result = await convert('begrænset.pdf', await encryptedPdf(converter.dir, ''));
    expect(result.placeholder).toBeNull();
    expect(result.pages).toBe(2);
    expect(pdfText(result.file, 1)).toContain('Hemmelig side 1');
  });

  it('an encrypted PDF with a user password becomes a placeholder and the original is kept', async () => {
    const bytes = await encryptedPdf(converter.dir, 'hemmelig');
    const original = attachment('låst.pdf', bytes, 'application/pdf');
    const before = createHash('sha256').update(original.content).digest('hex');
    const result = await attachmentToPdf(original, {
      fonts: converter.fonts,
      tools: converter.tools,
    });
    expect(result.placeholder?.code).toBe('PdfPasswordProtected');
    expect(result.pages).toBe(1);
    expect(createHash('sha256').update(original.content).digest('hex')).toBe(before);
    const file = writeTemp(converter.dir, 'locked-placeholder.pdf', result.pdf);
    const text = pdfText(file);
    expect(text).toContain('Dokumentet kan ikke vises');
    expect(text).toContain('låst.pdf');
    expect(text).toContain(original.sha256);
    expect(text).toContain('adgangskode');
  });

  it('an encrypted PDF becomes a placeholder when qpdf is not installed', async () => {
    const result = await convert(
      'uden-qpdf.pdf',
      await encryptedPdf(converter.dir, ''),
      'application/pdf',
      { tools: { qpdf: null, soffice: null } },
    );
    expect(result.placeholder?.code).toBe('PdfEncrypted');
  });

  it('puts a JPEG, a PNG and a GIF on one A4 page each, landscape when wide', async () => {
    for (const format of ['jpeg', 'png', 'gif'] as const) {
      const result = await convert(`foto.${format}`, await image(800, 400, format));
      expect(result, format).toMatchObject({ pages: 1, placeholder: null, detectedType: format });
      const info = (await import('node:child_process')).execFileSync('pdfinfo', [result.file], {
        encoding: 'utf8',
      });
      expect(info).toMatch(/Page size:\s+841\.89 x 595\.28/);
    }
  });

  it('turns every page of a multi-page TIFF fax into a page', async () => {
    const result = await convert('fax.tif', await multipageTiff(3), 'image/tiff');
    expect(result).toMatchObject({ pages: 3, placeholder: null, detectedType: 'tiff' });
    expect(pdfPages(result.file)).toBe(3);
  });

  it('a 30,000×30,000 PNG becomes a placeholder with the reason, without decoding it', async () => {
    const started = Date.now();
    const result = await convert('kæmpe.png', hugePngHeader(30_000, 30_000), 'image/png');
    expect(result.placeholder?.code).toBe('ImageTooLarge');
    expect(result.placeholder?.reason).toContain('30000 × 30000');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(pdfText(result.file)).toContain('billedet er for stort');
  });

  it('a truncated JPEG becomes a placeholder', async () => {
    const whole = await image(600, 600, 'jpeg');
    const result = await convert(
      'afkortet.jpg',
      whole.subarray(0, Math.floor(whole.length / 2)),
      'image/jpeg',
    );
    expect(result.placeholder?.code).toBe('ImageDamaged');
  });

  it('the FlateDecode bomb of pdf-lib issue #1777 becomes a placeholder and this process lives', async () => {
    const bomb = await flateBombPdf(400);
    expect(bomb.length).toBeLessThan(2_000_000);
    const rssBefore = process.memoryUsage().rss;
    const result = await convert('bombe.pdf', bomb, 'application/pdf');
    expect(result.placeholder?.code).toBe('PdfDamaged');
    expect(result.placeholder?.reason).toContain('decompression bomb');
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
  });

  it('a conversion that runs past its time limit becomes a placeholder', async () => {
    const result = await convert('langsom.pdf', await makePdf(['x']), 'application/pdf', {
      timeoutMs: 1,
    });
    expect(result.placeholder?.code).toBe('ConversionTimedOut');
  });

  it('trusts the bytes, not the mail: a PDF sent as text/plain is a PDF', async () => {
    const result = await convert('notat.txt', await makePdf(['Forklædt PDF']), 'text/plain');
    expect(result).toMatchObject({ detectedType: 'pdf', placeholder: null });
  });

  it('shows a CSV and a Windows-1252 text file with æøå', async () => {
    const csv = await convert(
      'liste.csv',
      Buffer.from('navn;by\nÅse;Århus\nBjørn;Næstved\n', 'utf8'),
      'text/csv',
    );
    expect(csv.detectedType).toBe('text');
    expect(pdfText(csv.file)).toMatch(/Bjørn;Næstved/);
    const latin = await convert(
      'gammel.txt',
      Buffer.from('Kære Søren, vedlagt afgørelse.', 'latin1'),
    );
    expect(pdfText(latin.file)).toContain('Kære Søren, vedlagt afgørelse.');
  });

  it('renders a forwarded mail (message/rfc822) like a mail', async () => {
    const eml = [
      'From: Kommunen <sag@kommune.dk>',
      'To: ast@ast.dk',
      'Subject: Oversendelse af klage',
      'Date: Tue, 12 Mar 2024 10:00:00 +0100',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Vi oversender hermed klagen.',
      '',
    ].join('\r\n');
    const result = await convert('videresendt.eml', Buffer.from(eml), 'message/rfc822');
    expect(result).toMatchObject({ detectedType: 'rfc822', placeholder: null });
    const text = pdfText(result.file);
    expect(text).toMatch(/Fra:\s+Kommunen <sag@kommune\.dk>/);
    expect(text).toContain('Vi oversender hermed klagen.');
  });

  it('lists a zip without unpacking it', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdirSync, readFileSync } = await import('node:fs');
    const dir = `${converter.dir}/zipsrc`;
    mkdirSync(dir, { recursive: true });
    writeTemp(dir, 'bilag1.txt', Buffer.from('a'));
    writeTemp(dir, 'bilag2.txt', Buffer.from('bb'));
    execFileSync('python3', [
      '-c',
      `import zipfile,sys;z=zipfile.ZipFile(sys.argv[1],'w');[z.write(f'${dir}/'+n, n) for n in ['bilag1.txt','bilag2.txt']];z.close()`,
      `${converter.dir}/bilag.zip`,
    ]);
    const result = await convert(
      'bilag.zip',
      readFileSync(`${converter.dir}/bilag.zip`),
      'application/zip',
    );
    expect(result).toMatchObject({ detectedType: 'zip', placeholder: null });
    const text = pdfText(result.file);
    expect(text).toContain('bilag1.txt');
    expect(text).toContain('bilag2.txt');
  });

  it('an Office document without LibreOffice becomes a placeholder naming the missing converter', async () => {
    const { execFileSync } = await import('node:child_process');
    const { readFileSync } = await import('node:fs');
    execFileSync('python3', [
      '-c',
      "import zipfile,sys;z=zipfile.ZipFile(sys.argv[1],'w');z.writestr('[Content_Types].xml','<Types/>');z.writestr('word/document.xml','<w:document/>');z.close()",
      `${converter.dir}/brev.docx`,
    ]);
    const result = await convert(
      'brev.docx',
      readFileSync(`${converter.dir}/brev.docx`),
      'application/octet-stream',
      { tools: { qpdf: converter.tools.qpdf, soffice: null } },
    );
    expect(result.detectedType).toBe('docx');
    expect(result.placeholder?.code).toBe('ConverterMissing');
  });

  it('anything else is a placeholder page with name, type, size and sha256', async () => {
    const bytes = Buffer.from([0x00, 0x01, 0x02, 0x03, 0xfe, 0x00, 0x99, 0x42]);
    const result = await convert('ukendt.bin', bytes);
    expect(result).toMatchObject({ detectedType: 'unknown', pages: 1 });
    expect(result.placeholder?.code).toBe('UnsupportedType');
    const text = pdfText(result.file);
    expect(text).toContain('ukendt.bin');
    expect(text).toContain('8 bytes');
    expect(text).toContain(createHash('sha256').update(bytes).digest('hex'));
  });
});
