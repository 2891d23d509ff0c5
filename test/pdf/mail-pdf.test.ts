import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderMailPdf } from '../../src/pdf/index.js';
import { loadFontBytes } from '../../src/pdf/fonts.js';
import { parseMail } from '../../src/pipeline/parse.js';
import {
  attachment,
  image,
  mail,
  pdfPages,
  pdfText,
  qpdfCheck,
  tempFolder,
  writeTemp,
} from './helpers.js';

describe('a mail rendered as PDF', () => {
  let folder: ReturnType<typeof tempFolder>;
  beforeEach(() => {
    folder = tempFolder();
  });
  afterEach(() => folder.remove());

  it('shows the header block with Fra, Til, Cc, Dato, Emne and the attachments, and the Danish body', async () => {
    const message = mail({
      cc: [{ name: 'Advokat Åse Øster', address: 'aase@advokat.dk' }],
      attachments: [attachment('Afgørelse æøå.pdf', new Uint8Array(2048))],
    });
    const file = writeTemp(
      folder.dir,
      'mail.pdf',
      await renderMailPdf(message, { timeZone: 'Europe/Copenhagen' }),
    );
    const text = pdfText(file);
    expect(text).toMatch(/Fra:\s+Søren Ærø <soeren@example\.dk>/);
    expect(text).toMatch(/Til:\s+Ankestyrelsen <ast@ast\.dk>/);
    expect(text).toMatch(/Cc:\s+Advokat Åse Øster <aase@advokat\.dk>/);
    expect(text).toMatch(/Dato:\s+12\. marts 2024 kl\. 14\.05/);
    expect(text).toMatch(/Emne:\s+Klage over afgørelse/);
    expect(text).toMatch(/Vedhæftede filer:\s+Afgørelse æøå\.pdf \(2 KB\)/);
    expect(text).toContain('Jeg klager over kommunens afgørelse.');
    expect(text).toContain('side 1 af 1');
    expect(qpdfCheck(file)).toBe(0);
  });

  it('renders a Greek and a Cyrillic sender name and a Polish ż with the fonts embedded and subset', async () => {
    const message = mail({
      from: { name: 'Γιώργος Παπαδόπουλος', address: 'giorgos@example.gr' },
      to: [{ name: 'Иван Петров', address: 'ivan@example.ru' }],
      text: 'Zażółć gęślą jaźń. Ærlig talt – øl på åen.',
    });
    const bytes = await renderMailPdf(message);
    const file = writeTemp(folder.dir, 'mail.pdf', bytes);
    const text = pdfText(file);
    expect(text).toContain('Γιώργος Παπαδόπουλος');
    expect(text).toContain('Иван Петров');
    expect(text).toContain('Zażółć gęślą jaźń');
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' });
    expect(fonts).toMatch(/DejaVuSans-\d+\s+CID TrueType\s+Identity-H\s+yes/);
    // pdf-lib names its subsets without the ABCDEF+ tag; the size shows the subset (the whole font is 740 KB).
    expect(bytes.length).toBeLessThan(60_000);
  });

  it('wraps a long body over several pages and numbers them', async () => {
    const paragraph =
      'Kommunen har truffet afgørelse om anbringelse uden for hjemmet, og forældrene klager. '.repeat(
        12,
      );
    const file = writeTemp(
      folder.dir,
      'long.pdf',
      await renderMailPdf(mail({ text: Array(40).fill(paragraph).join('\n\n') })),
    );
    const pages = pdfPages(file);
    expect(pages).toBeGreaterThan(3);
    expect(pdfText(file, pages)).toContain(`side ${pages} af ${pages}`);
    const longest = Math.max(
      ...pdfText(file, 2)
        .split('\n')
        .map((line) => line.length),
    );
    expect(longest).toBeLessThan(130);
  });

  it('renders HTML without scripts, marks a remote image and embeds a cid: image', async () => {
    const inline = {
      ...attachment('logo.png', await image(120, 60, 'png'), 'image/png'),
      related: true,
      contentId: 'logo@ast',
    };
    const html = `<html><head><style>p{color:red}</style><script>document.write("SKRIPT-KØRT")</script></head>
      <body><h1>Partshøring</h1><p>Kære <b>Åse</b>,<br>se vedlagte.</p><img src="cid:logo@ast" alt="logo">
      <img src="https://tracker.example.com/pixel.gif?id=secret" alt="sporing"><ul><li>punkt ét</li><li>punkt to</li></ul></body></html>`;
    const file = writeTemp(
      folder.dir,
      'html.pdf',
      await renderMailPdf(
        mail({ html, text: '', attachments: [inline], contentType: 'text/html' }),
      ),
    );
    const text = pdfText(file);
    expect(text).toContain('Partshøring');
    expect(text).toContain('Kære Åse,');
    expect(text).toContain('• punkt ét');
    expect(text).not.toContain('SKRIPT-KØRT');
    expect(text).not.toContain('color:red');
    expect(text).toContain('[Eksternt billede er ikke hentet: tracker.example.com/pixel.gif');
    expect(text).not.toContain('secret');
    expect(text).not.toMatch(/Vedhæftede filer/);
    const images = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .slice(2);
    expect(images).toHaveLength(1);
  });

  it('renders every fixture mail, each passing qpdf --check', async () => {
    const fonts = await loadFontBytes();
    const root = join(import.meta.dirname, '../../fixtures/mails');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.eml'))
      .slice(0, 40);
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) {
      const parsed = await parseMail(readFileSync(join(root, name)));
      const file = writeTemp(folder.dir, 'fixture.pdf', await renderMailPdf(parsed, { fonts }));
      expect(qpdfCheck(file), name).toBe(0);
      if (parsed.subject)
        expect(pdfText(file, 1).replace(/\s+/g, ' '), name).toContain(
          parsed.subject.replace(/\s+/g, ' ').slice(0, 20).trim(),
        );
    }
  });
});
