import {
  PDFArray,
  PDFDict,
  PDFName,
  PDFRawStream,
  PDFStream,
  type PDFDocument,
  type PDFFont,
  type PDFObject,
  type PDFPage,
  type PDFRef,
} from 'pdf-lib';
import { encodeGlyphs } from './glyph-text.js';
import { A4 } from './page-writer.js';
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

const FONT_KEY = PDFName.of('PostrobotStamp');
const CONTENTS = PDFName.of('Contents');
const RESOURCES = PDFName.of('Resources');
const FONT = PDFName.of('Font');
const ENCODER = new TextEncoder();

/** A number as a content stream wants it: at most two decimals, no exponent. */
const num = (value: number): string => String(Math.round(value * 100) / 100);

/**
 * Draws the footer line ("Sag … · Akt … · side x af y") on the visual bottom of pages.
 * On a 1,000-page case pdf-lib's own drawText cost more than the merge itself, and its
 * page.normalize() and random font keys were half of what was left. Here the glyph codes
 * come from a cache (glyph-text.ts), the operators are written as text into one small
 * uncompressed stream per page, the page's own content is wrapped in q … Q by one "q"
 * stream shared by all pages, and the font goes into the page's resources under one fixed
 * name (so resources shared by many pages get one entry, not one per page).
 */
export class FooterStamper {
  private readonly doc: PDFDocument;
  private readonly font: PDFFont;
  private readonly save: PDFRef;

  constructor(doc: PDFDocument, font: PDFFont) {
    this.doc = doc;
    this.font = font;
    this.save = doc.context.register(
      PDFRawStream.of(doc.context.obj({}) as PDFDict, ENCODER.encode('q\n')),
    );
  }

  /** The resource name of the stamp font on this page; a name already taken means another. */
  private fontKey(page: PDFPage): PDFName {
    const context = this.doc.context;
    let resources = page.node.Resources();
    if (!resources) {
      resources = context.obj({}) as PDFDict;
      page.node.set(RESOURCES, resources);
    }
    let fonts = resources.lookupMaybe(FONT, PDFDict);
    if (!fonts) {
      fonts = context.obj({}) as PDFDict;
      resources.set(FONT, fonts);
    }
    const taken = fonts.get(FONT_KEY);
    if (taken === undefined || taken === this.font.ref) {
      fonts.set(FONT_KEY, this.font.ref);
      return FONT_KEY;
    }
    const key = fonts.uniqueKey('PostrobotStamp');
    fonts.set(key, this.font.ref);
    return key;
  }

  /** The page's content streams (none, one, or an array); whatever is not a stream is left out. */
  private contents(page: PDFPage): PDFObject[] {
    const value = page.node.get(CONTENTS);
    if (value === undefined) return [];
    const resolved = this.doc.context.lookup(value);
    const list = resolved instanceof PDFArray ? resolved.asArray() : [value];
    return list.filter((item) => this.doc.context.lookup(item) instanceof PDFStream);
  }

  /**
   * Stamps the page. A page whose own entries are damaged (a rotation that is not a
   * number, resources that are not a dictionary) gets those entries as a viewer would
   * read them (no rotation, the media box, empty resources) and then the stamp.
   */
  stamp(page: PDFPage, text: string): void {
    try {
      this.draw(page, text);
    } catch {
      this.repair(page);
      this.draw(page, text);
    }
  }

  private repair(page: PDFPage): void {
    const node = page.node;
    const context = this.doc.context;
    const fails = (read: () => unknown): boolean => {
      try {
        read();
        return false;
      } catch {
        return true;
      }
    };
    if (fails(() => page.getRotation())) node.delete(PDFName.of('Rotate'));
    if (fails(() => node.CropBox())) node.delete(PDFName.of('CropBox'));
    if (fails(() => page.getMediaBox()))
      node.set(PDFName.of('MediaBox'), context.obj([0, 0, ...A4]));
    if (fails(() => node.Resources()?.lookupMaybe(FONT, PDFDict)))
      node.set(RESOURCES, context.obj({}));
  }

  private draw(page: PDFPage, text: string): void {
    const angle = ((page.getRotation().angle % 360) + 360) % 360;
    const { map, width: visualWidth } = visualToPage(page, angle);
    const width = textWidth(this.font, text, SIZE);
    const u = Math.max(4, (visualWidth - width) / 2);
    const v = 8;
    const radians = (angle * Math.PI) / 180;
    const cos = num(Math.cos(radians));
    const sin = num(Math.sin(radians));
    const rotation = `${cos} ${sin} ${num(-Math.sin(radians))} ${cos}`;
    const box = map(u - 4, v - 3);
    const origin = map(u, v);
    const key = this.fontKey(page);
    // It starts with a newline: streams are joined as they are, and the page's last one
    // may end without white space. Q closes the q the shared stream opened.
    const operators = [
      '',
      'Q',
      'q',
      `${rotation} ${num(box.x)} ${num(box.y)} cm`,
      '1 1 1 rg',
      `0 0 ${num(width + 8)} ${num(SIZE + 5)} re f`,
      'Q',
      'BT',
      '0.3 0.3 0.3 rg',
      `${key.asString()} ${SIZE} Tf`,
      `${rotation} ${num(origin.x)} ${num(origin.y)} Tm`,
      `${encodeGlyphs(this.font, text).toString()} Tj`,
      'ET',
      '',
    ].join('\n');
    const stream = this.doc.context.register(
      PDFRawStream.of(this.doc.context.obj({}) as PDFDict, ENCODER.encode(operators)),
    );
    page.node.set(CONTENTS, this.doc.context.obj([this.save, ...this.contents(page), stream]));
  }
}
