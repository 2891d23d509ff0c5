import {
  PDFContentStream,
  degrees,
  drawRectangle,
  drawText,
  rgb,
  type PDFDocument,
  type PDFFont,
  type PDFOperator,
  type PDFPage,
} from 'pdf-lib';
import { encodeGlyphs } from './glyph-text.js';
import { textWidth } from './text.js';

type Point = { x: number; y: number };

const SIZE = 7.5;

/**
 * Maps a point given as (u along the visual bottom edge, v up from it) to the page's own
 * coordinates, for a page shown rotated by /Rotate and cut by its crop box; scanned pages
 * often carry /Rotate 90 and a crop box that does not start at 0,0.
 */
function visualToPage(
  page: PDFPage,
  angle: number,
): { map: (u: number, v: number) => Point; width: number } {
  const box = page.getCropBox();
  switch (angle) {
    case 90:
      return { map: (u, v) => ({ x: box.x + box.width - v, y: box.y + u }), width: box.height };
    case 180:
      return {
        map: (u, v) => ({ x: box.x + box.width - u, y: box.y + box.height - v }),
        width: box.width,
      };
    case 270:
      return { map: (u, v) => ({ x: box.x + v, y: box.y + box.height - u }), width: box.height };
    default:
      return { map: (u, v) => ({ x: box.x + u, y: box.y + v }), width: box.width };
  }
}

/**
 * Draws the footer line ("Sag … · Akt … · side x af y") on the visual bottom of pages.
 * On a 1,000-page case pdf-lib's own drawText cost more than the merge itself: it shapes
 * every string with fontkit and deflates a new content stream per call. Here the glyph
 * codes come from a cache (glyph-text.ts) and the few operators go into an uncompressed
 * stream of their own, after the page's content wrapped in q … Q.
 */
export class FooterStamper {
  private readonly doc: PDFDocument;
  private readonly font: PDFFont;

  constructor(doc: PDFDocument, font: PDFFont) {
    this.doc = doc;
    this.font = font;
  }

  stamp(page: PDFPage, text: string): void {
    const angle = ((page.getRotation().angle % 360) + 360) % 360;
    const { map, width: visualWidth } = visualToPage(page, angle);
    const width = textWidth(this.font, text, SIZE);
    const u = Math.max(4, (visualWidth - width) / 2);
    const v = 8;
    const rotate = degrees(angle);
    const none = degrees(0);
    // normalize() wraps the existing content in q … Q, so a page that leaves its
    // graphics state changed cannot move or hide the stamp.
    page.node.normalize();
    const fontKey = page.node.newFontDictionary('PostrobotStamp', this.font.ref);
    const operators: PDFOperator[] = [
      ...drawRectangle({
        ...map(u - 4, v - 3),
        width: width + 8,
        height: SIZE + 5,
        color: rgb(1, 1, 1),
        borderColor: undefined,
        borderWidth: 0,
        rotate,
        xSkew: none,
        ySkew: none,
      }),
      ...drawText(encodeGlyphs(this.font, text), {
        ...map(u, v),
        size: SIZE,
        font: fontKey,
        color: rgb(0.3, 0.3, 0.3),
        rotate,
        xSkew: none,
        ySkew: none,
      }),
    ];
    page.node.addContentStream(
      this.doc.context.register(PDFContentStream.of(this.doc.context.obj({}), operators, false)),
    );
  }
}
