import {
  PageSizes,
  rgb,
  type PDFDocument,
  type PDFFont,
  type PDFImage,
  type PDFPage,
  type RGB,
} from 'pdf-lib';
import type { Fonts } from './fonts.js';
import { drawGlyphText } from './glyph-text.js';
import { drawable, textWidth, wrapText } from './text.js';

export const A4 = PageSizes.A4;
export const MARGIN = 56;
const FOOTER_SPACE = 28;

export interface TextStyle {
  font?: 'regular' | 'bold' | 'mono';
  size?: number;
  color?: RGB;
  indent?: number;
  /** Extra space after the paragraph. */
  after?: number;
}

/**
 * Lays text and images down the page from the top, starting a new A4 page when the
 * current one is full. Knows nothing about mails; the mail and placeholder renderers
 * build on it.
 */
export class PageWriter {
  readonly doc: PDFDocument;
  readonly fonts: Fonts;
  page: PDFPage;
  y: number;
  readonly width = A4[0] - 2 * MARGIN;

  constructor(doc: PDFDocument, fonts: Fonts) {
    this.doc = doc;
    this.fonts = fonts;
    this.page = doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  private font(style: TextStyle): PDFFont {
    return this.fonts[style.font ?? 'regular'];
  }

  private text(
    text: string,
    options: { x: number; y: number; size: number; font: PDFFont; color?: RGB },
  ): void {
    drawGlyphText(this.page, text, options);
  }

  newPage(): void {
    this.page = this.doc.addPage(A4);
    this.y = A4[1] - MARGIN;
  }

  /** Starts a new page unless `height` points still fit above the footer. */
  ensure(height: number): void {
    if (this.y - height < MARGIN + FOOTER_SPACE - 20) this.newPage();
  }

  paragraph(text: string, style: TextStyle = {}): void {
    const font = this.font(style);
    const size = style.size ?? 10;
    const indent = style.indent ?? 0;
    const lineHeight = size * 1.35;
    for (const line of wrapText(
      drawable(text, this.fonts.covers),
      font,
      size,
      this.width - indent,
    )) {
      this.ensure(lineHeight);
      this.y -= lineHeight;
      if (line !== '') {
        this.text(line, {
          x: MARGIN + indent,
          y: this.y + size * 0.3,
          size,
          font,
          color: style.color ?? rgb(0, 0, 0),
        });
      }
    }
    this.y -= style.after ?? 0;
  }

  /** A label in bold with its value wrapped beside it, as in a mail's header block. */
  field(label: string, value: string, options: { mono?: boolean; size?: number } = {}): void {
    const labelWidth = 110;
    const size = options.size ?? 10;
    const font = options.mono ? this.fonts.mono : this.fonts.regular;
    const lineHeight = 10 * 1.35;
    const lines = wrapText(drawable(value, this.fonts.covers), font, size, this.width - labelWidth);
    lines.forEach((line, index) => {
      this.ensure(lineHeight);
      this.y -= lineHeight;
      const baseline = this.y + size * 0.3;
      if (index === 0)
        this.text(label, { x: MARGIN, y: baseline, size: 10, font: this.fonts.bold });
      if (line !== '') this.text(line, { x: MARGIN + labelWidth, y: baseline, size, font });
    });
  }

  rule(): void {
    this.ensure(12);
    this.y -= 6;
    this.page.drawLine({
      start: { x: MARGIN, y: this.y },
      end: { x: MARGIN + this.width, y: this.y },
      thickness: 0.6,
      color: rgb(0.6, 0.6, 0.6),
    });
    this.y -= 6;
  }

  space(height: number): void {
    this.y -= height;
  }

  /** Draws an image scaled to the text width and at most a page high. */
  image(image: PDFImage): void {
    const maxHeight = A4[1] - 2 * MARGIN - FOOTER_SPACE;
    const scale = Math.min(1, this.width / image.width, maxHeight / image.height);
    const width = image.width * scale;
    const height = image.height * scale;
    this.ensure(height + 6);
    this.y -= height + 6;
    this.page.drawImage(image, { x: MARGIN, y: this.y, width, height });
  }

  /** A grey box with a note, where something was left out (a remote image, a bad inline image). */
  notice(text: string): void {
    const size = 9;
    const lines = wrapText(
      drawable(text, this.fonts.covers),
      this.fonts.regular,
      size,
      this.width - 16,
    );
    const height = lines.length * size * 1.35 + 10;
    this.ensure(height + 4);
    this.y -= height + 4;
    this.page.drawRectangle({
      x: MARGIN,
      y: this.y,
      width: this.width,
      height,
      borderColor: rgb(0.55, 0.55, 0.55),
      borderWidth: 0.8,
      color: rgb(0.95, 0.95, 0.95),
    });
    lines.forEach((line, index) => {
      const baseline = this.y + height - 5 - (index + 1) * size * 1.35 + size * 0.35;
      this.text(line, {
        x: MARGIN + 8,
        y: baseline,
        size,
        font: this.fonts.regular,
        color: rgb(0.25, 0.25, 0.25),
      });
    });
  }

  /** Writes "side x af y" on every page of the document. */
  numberPages(): void {
    const pages = this.doc.getPages();
    pages.forEach((page, index) => {
      const label = `side ${index + 1} af ${pages.length}`;
      const size = 8;
      const width = textWidth(this.fonts.regular, label, size);
      drawGlyphText(page, label, {
        x: A4[0] - MARGIN - width,
        y: MARGIN - 20,
        size,
        font: this.fonts.regular,
        color: rgb(0.4, 0.4, 0.4),
      });
    });
  }
}
