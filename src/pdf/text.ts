import type { PDFFont } from 'pdf-lib';
import { metricsKey } from './fonts.js';

// Bidi overrides can make a line read backwards; zero-width and control characters have
// no glyph and make pdf-lib throw.
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** Makes text drawable with a font: tabs to spaces, invisible characters out, unknown glyphs '?'. */
export function drawable(text: string, covers: ReadonlySet<number>): string {
  const cleaned = text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, '    ')
    .replace(INVISIBLE, '');
  let out = '';
  for (const char of cleaned) {
    const code = char.codePointAt(0) ?? 63;
    out += char === '\n' || covers.has(code) ? char : code === 0xa0 ? ' ' : '?';
  }
  return out;
}

/** Advances at size 1000 by the font's metrics key: the same font file in every document. */
const advanceCache = new WeakMap<object, Map<string, number>>();

/**
 * Width of a string as the sum of its characters' advances, each asked of the font once.
 * pdf-lib's own measure runs full OpenType shaping on every call, which made wrapping a
 * mail cost 150 ms; kerning is left out, so lines are wrapped with a little slack. The
 * advances are kept per font file, not per document: asking each new document's font
 * again cost 8 ms a mail.
 */
export function textWidth(font: PDFFont, text: string, size: number): number {
  const key = metricsKey(font);
  let advances = advanceCache.get(key);
  if (!advances) {
    advances = new Map();
    advanceCache.set(key, advances);
  }
  let total = 0;
  for (const char of text) {
    let advance = advances.get(char);
    if (advance === undefined) {
      advance = font.widthOfTextAtSize(char, 1000);
      advances.set(char, advance);
    }
    total += advance;
  }
  return (total * size) / 1000;
}

/** Splits one paragraph (no newlines) into lines no wider than `width`; long words are broken. */
export function wrapLine(text: string, font: PDFFont, size: number, width: number): string[] {
  if (text.trim() === '') return [''];
  const limit = width * 0.98;
  const measure = (s: string): number => (textWidth(font, s, size) * width) / limit;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/(?<=\s)/)) {
    const candidate = line + word;
    if (measure(candidate.trimEnd()) <= width) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line.trimEnd());
    line = '';
    let rest = word;
    while (measure(rest.trimEnd()) > width) {
      let cut = Math.max(1, Math.floor((rest.length * width) / measure(rest)));
      while (cut > 1 && measure(rest.slice(0, cut)) > width) cut -= 1;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  if (line.trimEnd() !== '' || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}

/** Wraps text with newlines into lines. */
export function wrapText(text: string, font: PDFFont, size: number, width: number): string[] {
  return text.split('\n').flatMap((paragraph) => wrapLine(paragraph, font, size, width));
}
