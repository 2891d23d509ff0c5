import {
  PDFHexString,
  degrees,
  drawText,
  rgb,
  type PDFFont,
  type PDFName,
  type PDFPage,
  type RGB,
} from 'pdf-lib';

const glyphCodes = new WeakMap<PDFFont, Map<string, string>>();
const fontKeys = new WeakMap<PDFPage, Map<PDFFont, PDFName>>();

/**
 * Asks the font for the glyph codes of characters it has not encoded yet, in one call:
 * each call runs fontkit's shaping set-up (script, features, lookups), which cost more
 * than the characters themselves when asked one by one. The characters are separated by
 * spaces so that no ligature joins them; if the answer does not come back as one
 * four-digit code per character and space, each character is asked on its own.
 */
function encodeNew(font: PDFFont, codes: Map<string, string>, chars: string[]): void {
  const hex = font.encodeText(chars.join(' ')).asString();
  if (hex.length === 4 * (2 * chars.length - 1)) {
    chars.forEach((char, index) => codes.set(char, hex.slice(8 * index, 8 * index + 4)));
    return;
  }
  for (const char of chars) codes.set(char, font.encodeText(char).asString());
}

/**
 * The text as the font's glyph codes, each character asked of the font once per document
 * (encoding is what puts a glyph into the document's subset). pdf-lib's drawText runs
 * fontkit's full OpenType shaping on every string, which was most of the time spent on a
 * mail and on a bundle's contents and stamps; the codes are the same (pdf-lib positions
 * glyphs by their widths either way), only ligatures are not formed.
 */
export function encodeGlyphs(font: PDFFont, text: string): PDFHexString {
  let codes = glyphCodes.get(font);
  if (!codes) {
    codes = new Map();
    glyphCodes.set(font, codes);
  }
  const missing = new Set<string>();
  for (const char of text) if (!codes.has(char)) missing.add(char);
  if (missing.size > 0) encodeNew(font, codes, [...missing]);
  let hex = '';
  for (const char of text) hex += codes.get(char)!;
  return PDFHexString.of(hex);
}

/** The page's resource name for the font, registered once per page. */
export function fontKey(page: PDFPage, font: PDFFont): PDFName {
  let keys = fontKeys.get(page);
  if (!keys) {
    keys = new Map();
    fontKeys.set(page, keys);
  }
  let key = keys.get(font);
  if (!key) {
    key = page.node.newFontDictionary(font.name, font.ref);
    keys.set(font, key);
  }
  return key;
}

export interface GlyphTextOptions {
  x: number;
  y: number;
  size: number;
  font: PDFFont;
  color?: RGB;
}

/** Draws one line of already drawable text (see text.ts) on a page. */
export function drawGlyphText(page: PDFPage, text: string, options: GlyphTextOptions): void {
  const none = degrees(0);
  page.pushOperators(
    ...drawText(encodeGlyphs(options.font, text), {
      x: options.x,
      y: options.y,
      size: options.size,
      font: fontKey(page, options.font),
      color: options.color ?? rgb(0, 0, 0),
      rotate: none,
      xSkew: none,
      ySkew: none,
    }),
  );
}
