import { degrees, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { textWidth } from './text.js';

type Point = { x: number; y: number };

/**
 * Maps a point given as (u along the visual bottom edge, v up from it) to the page's own
 * coordinates, for a page shown rotated by /Rotate and cut by its crop box; scanned pages
 * often carry /Rotate 90 and a crop box that does not start at 0,0.
 */
function visualToPage(page: PDFPage, angle: number): { map: (u: number, v: number) => Point; width: number } {
  const box = page.getCropBox();
  switch (angle) {
    case 90:
      return { map: (u, v) => ({ x: box.x + box.width - v, y: box.y + u }), width: box.height };
    case 180:
      return { map: (u, v) => ({ x: box.x + box.width - u, y: box.y + box.height - v }), width: box.width };
    case 270:
      return { map: (u, v) => ({ x: box.x + v, y: box.y + box.height - u }), width: box.height };
    default:
      return { map: (u, v) => ({ x: box.x + u, y: box.y + v }), width: box.width };
  }
}

/** Draws a footer line centred on the visual bottom of the page, on a light backing so it reads over scans. */
export function stampFooter(page: PDFPage, text: string, font: PDFFont): void {
  const size = 7.5;
  const angle = (((page.getRotation().angle % 360) + 360) % 360) as number;
  const { map, width: visualWidth } = visualToPage(page, angle);
  const width = textWidth(font, text, size);
  const u = Math.max(4, (visualWidth - width) / 2);
  const v = 8;
  const rotate = degrees(angle);
  const corner = map(u - 4, v - 3);
  page.drawRectangle({ ...corner, width: width + 8, height: size + 5, color: rgb(1, 1, 1), opacity: 0.85, rotate });
  page.drawText(text, { ...map(u, v), size, font, color: rgb(0.3, 0.3, 0.3), rotate });
}
