import { PDFHexString, type PDFDocument } from 'pdf-lib';
import { loadFontkit, type FontBytes, type Fonts } from './fonts.js';

interface Glyph {
  id: number;
  advanceWidth: number;
}

/** The parts of pdf-lib's CustomFontSubsetEmbedder (1.17.1) that are replaced below. */
interface SubsetEmbedder {
  font: { glyphForCodePoint(codePoint: number): Glyph };
  scale: number;
  subset: { includeGlyph(glyph: Glyph): number };
  glyphs: Glyph[];
  glyphIdMap: Map<number, number>;
  glyphCache: { invalidate(): void };
  encodeText(text: string): PDFHexString;
  widthOfTextAtSize(text: string, size: number): number;
}

/**
 * pdf-lib encodes and measures text with fontkit's full OpenType layout, whose first call
 * parses the font's GSUB and GPOS tables: 0.15-0.2 s of every bundle. The bundle only ever
 * passes one character at a time (glyph-text.ts and text.ts cache per character), and
 * for one character the layout is the cmap look-up, so this does the look-up directly.
 * The subset bookkeeping is pdf-lib's own, so the embedded font and codes are unchanged.
 */
function encodeByCmap(embedder: SubsetEmbedder): void {
  const glyphsOf = (text: string): Glyph[] =>
    Array.from(text, (char) => embedder.font.glyphForCodePoint(char.codePointAt(0) ?? 0));
  embedder.encodeText = (text) => {
    let hex = '';
    for (const glyph of glyphsOf(text)) {
      const id = embedder.subset.includeGlyph(glyph);
      embedder.glyphs[id - 1] = glyph;
      embedder.glyphIdMap.set(glyph.id, id);
      hex += id.toString(16).padStart(4, '0');
    }
    embedder.glyphCache.invalidate();
    return PDFHexString.of(hex);
  };
  embedder.widthOfTextAtSize = (text, size) =>
    (glyphsOf(text).reduce((sum, glyph) => sum + glyph.advanceWidth * embedder.scale, 0) * size) /
    1000;
}

/**
 * The one font of the case bundle (cover, table of contents, stamps, notice pages),
 * embedded as a subset. Bold is the regular font: a second font cost a tenth of the build.
 */
export async function embedBundleFonts(doc: PDFDocument, bytes: FontBytes): Promise<Fonts> {
  doc.registerFontkit(loadFontkit());
  const regular = await doc.embedFont(bytes.regular, { subset: true });
  encodeByCmap((regular as unknown as { embedder: SubsetEmbedder }).embedder);
  return { regular, bold: regular, mono: regular, covers: new Set(regular.getCharacterSet()) };
}
