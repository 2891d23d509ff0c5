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

type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];
type ParsedFont = ReturnType<Fontkit['create']>;

/**
 * Fonts parsed by fontkit, by the bytes they were parsed from. Parsing DejaVu Sans takes
 * 2–5 ms a font and pdf-lib asks for it again for every document; the parsed font is
 * only read afterwards (each document takes its own subset of it), so one serves them
 * all. Kept by the caller's bytes, so it lives as long as the caller holds them.
 */
const parsedFonts = new WeakMap<Uint8Array, ParsedFont>();
const coverage = new WeakMap<ParsedFont, ReadonlySet<number>>();
/** The parsed font each embedded PDFFont came from: its metrics are the same in every document. */
const sources = new WeakMap<PDFFont, ParsedFont>();

let fontkit: Fontkit | null = null;

/**
 * fontkit, loaded on first use (it takes longer to load than pdf-lib itself, and a worker
 * that only copies PDF pages or places a scan never needs it) with require() from its
 * minified build: import() of the 1.5 MB main file first runs Node's CommonJS export
 * scanner over it, 0.35-0.5 s here against 0.28-0.3 s for require() of the 0.75 MB
 * minified file (the same code, published in the package). A bundle worker pays it each time.
 */
export function loadFontkit(): Fontkit {
  fontkit ??= createRequire(import.meta.url)('@pdf-lib/fontkit/dist/fontkit.umd.min.js') as Fontkit;
  return fontkit;
}

let cachingLoaded: Fontkit | null = null;

/** fontkit whose `create` parses each font's bytes once per process. */
function cachingFontkit(): Fontkit {
  cachingLoaded ??= {
    create: (bytes, postscriptName) => {
      let font = parsedFonts.get(bytes);
      if (!font) {
        font = loadFontkit().create(bytes, postscriptName);
        // fontkit keeps the first glyph object made for an id, with the code points it was
        // asked for. Saving a subset asks for the parts of composite glyphs (the c in ć)
        // with none, and a later document would then map c to no text (copy and search
        // would lose it). Asking every code point first gives each glyph its character.
        for (const codePoint of font.characterSet) font.glyphForCodePoint(codePoint);
        parsedFonts.set(bytes, font);
      }
      return font;
    },
  };
  return cachingLoaded;
}

function fontDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
}

let fontBytes: Promise<FontBytes> | null = null;

/**
 * DejaVu Sans covers Latin (æøå, Polish, Turkish, Czech), Greek and Cyrillic. Read once
 * per process: the same arrays each time, so that the fonts parsed from them are reused.
 */
export function loadFontBytes(): Promise<FontBytes> {
  fontBytes ??= (async () => {
    const dir = fontDir();
    const [regular, bold, mono] = await Promise.all(
      ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSansMono.ttf'].map((name) =>
        readFile(join(dir, name)),
      ),
    );
    return { regular: regular!, bold: bold!, mono: mono! };
  })();
  fontBytes.catch(() => {
    fontBytes = null;
  });
  return fontBytes;
}

/** Embeds one font subset, parsing its bytes only the first time in this process. */
export async function embedSubsetFont(doc: PDFDocument, bytes: Uint8Array): Promise<PDFFont> {
  doc.registerFontkit(cachingFontkit());
  const font = await doc.embedFont(bytes, { subset: true });
  const parsed = parsedFonts.get(bytes);
  if (parsed) sources.set(font, parsed);
  return font;
}

/**
 * What a font's glyph metrics can be cached by across documents: the parsed font it was
 * embedded from, or the PDFFont itself when it was embedded some other way.
 */
export function metricsKey(font: PDFFont): object {
  return sources.get(font) ?? font;
}

/** The code points a font has glyphs for, worked out once per parsed font. */
function coveredBy(font: PDFFont): ReadonlySet<number> {
  const parsed = sources.get(font);
  if (!parsed) return new Set(font.getCharacterSet());
  let covers = coverage.get(parsed);
  if (!covers) {
    covers = new Set(parsed.characterSet);
    coverage.set(parsed, covers);
  }
  return covers;
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
  const regular = await embedSubsetFont(doc, bytes.regular);
  const bold = options.bold === false ? regular : await embedSubsetFont(doc, bytes.bold);
  const mono = options.mono ? await embedSubsetFont(doc, bytes.mono) : regular;
  return { regular, bold, mono, covers: coveredBy(regular) };
}
