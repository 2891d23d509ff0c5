import {
  PDFDocument,
  TextRenderingMode,
  beginText,
  endText,
  popGraphicsState,
  pushGraphicsState,
  setCharacterSqueeze,
  setFontAndSize,
  setTextMatrix,
  setTextRenderingMode,
  showText,
  type PDFFont,
  type PDFPage,
} from 'pdf-lib';
import { guardPdfLibDecoding } from '../decode-guard.js';
import { embedSubsetFont, loadFontBytes, type FontBytes } from '../fonts.js';
import { drawable } from '../text.js';
import type { PageReader, PdfPageText } from './page-reader.js';

export interface TextLayerResult {
  pdf: Uint8Array;
  /** Pages that got an invisible OCR text layer. */
  pages: number;
}

/** Invisible words over a scanned page, each scaled to the box tesseract found it in. */
function drawWords(page: PDFPage, font: PDFFont, read: PdfPageText): void {
  const ocr = read.ocr!;
  const box = page.getMediaBox();
  const scale = 72 / ocr.dpi;
  const key = page.node.newFontDictionary(font.name, font.ref);
  const operators = [
    pushGraphicsState(),
    beginText(),
    setTextRenderingMode(TextRenderingMode.Invisible),
  ];
  for (const word of ocr.words) {
    const text = drawable(word.text, new Set(font.getCharacterSet())).replace(/\n/g, ' ');
    const width = (word.x1 - word.x0) * scale;
    const height = (word.y1 - word.y0) * scale;
    if (!text.trim() || width <= 0 || height <= 0) continue;
    // The box runs from ascender to descender; a font size of ~90 % of it matches the glyphs.
    const size = Math.max(1, height * 0.9);
    const natural = font.widthOfTextAtSize(text, size);
    const x = box.x + word.x0 * scale;
    const y = box.y + box.height - word.y1 * scale + height * 0.2;
    operators.push(
      setFontAndSize(key, size),
      setCharacterSqueeze(natural > 0 ? (100 * width) / natural : 100),
      setTextMatrix(1, 0, 0, 1, x, y),
      showText(font.encodeText(`${text} `)),
    );
  }
  operators.push(endText(), popGraphicsState());
  page.pushOperators(...operators);
}

/**
 * The PDF with an invisible text layer on every page that had none and was read by OCR,
 * so that a caseworker can search and copy the words of a scan (in the case bundle too,
 * which copies pages as they are). Pages turned by /Rotate keep no layer: their words
 * would need the turn undone. Pages that cannot be read are left as they are.
 */
export async function addOcrTextLayer(
  pdf: Uint8Array,
  reader: PageReader,
  fonts?: FontBytes,
): Promise<TextLayerResult> {
  const budget = { deadline: Date.now() + reader.config.mailBudgetSeconds * 1000 };
  // No mail's routing waits for a text layer: its pages queue behind the decisions' pages.
  const read = await reader.readPdf(pdf, { ocr: true, budget, background: true });
  const targets = read
    .map((page, index) => ({ page, index }))
    .filter(
      ({ page }) =>
        page.source === 'ocr' &&
        page.box.rotation === 0 &&
        page.ocr !== null &&
        page.ocr.words.length > 0,
    );
  if (targets.length === 0) return { pdf, pages: 0 };
  guardPdfLibDecoding();
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const font = await embedSubsetFont(doc, (fonts ?? (await loadFontBytes())).regular);
  for (const { page, index } of targets) drawWords(doc.getPage(index), font, page);
  return { pdf: await doc.save(), pages: targets.length };
}
