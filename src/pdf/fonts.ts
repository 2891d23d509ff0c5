import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PDFDocument, PDFFont } from 'pdf-lib';

/** The raw TTF bytes; read once by a caller that renders many documents and passed in. */
export interface FontBytes {
  regular: Uint8Array;
  bold: Uint8Array;
  mono: Uint8Array;
}

/** Fonts embedded in one document, with the code points they can draw. */
export interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  mono: PDFFont;
  /** Code points the regular font has a glyph for; others are drawn as '?'. */
  covers: ReadonlySet<number>;
}

function fontDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
}

/** DejaVu Sans covers Latin (æøå, Polish, Turkish, Czech), Greek and Cyrillic. */
export async function loadFontBytes(): Promise<FontBytes> {
  const dir = fontDir();
  const [regular, bold, mono] = await Promise.all(
    ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSansMono.ttf'].map((name) =>
      readFile(join(dir, name)),
    ),
  );
  return { regular: regular!, bold: bold!, mono: mono! };
}

/**
 * Embeds the fonts subset: only the glyphs used end up in the file (15 KB, not 700 KB).
 * Subsetting costs about 70 ms a font when saving, so the monospaced one is embedded
 * only for documents that ask for it (text and CSV); elsewhere `mono` is the regular font.
 * The case bundle asks for no bold either: parsing a second font was a tenth of its time.
 */
export async function embedFonts(
  doc: PDFDocument,
  bytes: FontBytes,
  options: { mono?: boolean; bold?: boolean } = {},
): Promise<Fonts> {
  // Imported here, not at the top: fontkit takes longer to load than pdf-lib itself, and
  // a worker that only copies PDF pages or places a scan never needs it.
  const { default: fontkit } = await import('@pdf-lib/fontkit');
  doc.registerFontkit(fontkit);
  const regular = await doc.embedFont(bytes.regular, { subset: true });
  const bold = options.bold === false ? regular : await doc.embedFont(bytes.bold, { subset: true });
  const mono = options.mono ? await doc.embedFont(bytes.mono, { subset: true }) : regular;
  return { regular, bold, mono, covers: new Set(regular.getCharacterSet()) };
}
