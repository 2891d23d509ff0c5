import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderMailPdf } from '../../src/pdf/index.js';
import { loadFontBytes } from '../../src/pdf/fonts.js';
import { mail, pdfText, tempFolder, writeTemp } from './helpers.js';

describe('fonts parsed once and shared by every document', () => {
  let folder: ReturnType<typeof tempFolder>;
  beforeEach(() => {
    folder = tempFolder();
  });
  afterEach(() => folder.remove());

  it('reads the font files once per process', async () => {
    expect(await loadFontBytes()).toBe(await loadFontBytes());
  });

  it('keeps every letter searchable in a mail rendered after one whose letters are built from others (ć from c)', async () => {
    const fonts = await loadFontBytes();
    // ć, ç, é, ñ are composite glyphs in DejaVu: saving their subset asks for c, e, n.
    await renderMailPdf(mail({ subject: 'Ćmielów', text: 'ćçéñ ĆÇÉÑ' }), { fonts });
    const later = writeTemp(
      folder.dir,
      'later.pdf',
      await renderMailPdf(
        mail({ subject: 'Tracker', text: 'cenCEN ekstern tracker.example.com' }),
        {
          fonts,
        },
      ),
    );
    const text = pdfText(later);
    expect(text).toContain('cenCEN ekstern tracker.example.com');
    expect(text).toContain('Tracker');
  });

  it('draws the same text whichever mail came first', async () => {
    const fonts = await loadFontBytes();
    const body = 'Kære Åse – sagsnr. 24-123456, Ελληνικά, Кириллица, żółć, ﬁ.';
    const first = writeTemp(
      folder.dir,
      'first.pdf',
      await renderMailPdf(mail({ text: body }), { fonts }),
    );
    await renderMailPdf(mail({ text: 'ĉĝĥĵŝŭ ǆ ǉ ǌ ĳ' }), { fonts });
    const again = writeTemp(
      folder.dir,
      'again.pdf',
      await renderMailPdf(mail({ text: body }), { fonts }),
    );
    expect(pdfText(again)).toBe(pdfText(first));
  });
});
