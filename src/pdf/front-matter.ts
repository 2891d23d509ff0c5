import { PDFName, rgb, type PDFDocument, type PDFFont, type PDFPage } from 'pdf-lib';
import type { BundleEntry, BundleInput } from './bundle-types.js';
import type { Fonts } from './fonts.js';
import { A4, MARGIN } from './page-writer.js';
import { drawGlyphText } from './glyph-text.js';
import { drawable, textWidth } from './text.js';

const ROW = 14;
const TOC_HEADER = 60;
const SIZE = 9;

/** How many table-of-contents rows fit on one page. */
export const TOC_ROWS_PER_PAGE = Math.floor((A4[1] - 2 * MARGIN - TOC_HEADER - 20) / ROW);

export function tocPageCount(documents: number): number {
  return Math.max(1, Math.ceil(documents / TOC_ROWS_PER_PAGE));
}

/** Cuts text to a width with an ellipsis; the table of contents keeps one line a row. */
function fit(font: PDFFont, text: string, width: number, covers: ReadonlySet<number>): string {
  let shown = drawable(text.replace(/\s+/g, ' '), covers);
  if (textWidth(font, shown, SIZE) <= width) return shown;
  while (shown.length > 1 && textWidth(font, `${shown}…`, SIZE) > width) shown = shown.slice(0, -1);
  return `${shown.trimEnd()}…`;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** dd.mm.yyyy for an ISO date; anything else is shown as given. */
export function formatDay(value: string | null, timeZone: string): string {
  if (!value) return '';
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) return value;
  // Building a DateTimeFormat costs far more than using one; a case has hundreds of rows.
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('da-DK', {
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      timeZone,
    });
    dayFormats.set(timeZone, format);
  }
  return format.format(date);
}

export interface FrontMatter {
  input: BundleInput;
  entries: (BundleEntry & { sender: string | null; date: string | null })[];
  totalPages: number;
  timeZone: string;
}

export function drawCover(page: PDFPage, fonts: Fonts, front: FrontMatter): void {
  const { input } = front;
  let y = A4[1] - MARGIN - 60;
  drawGlyphText(page, 'Samlet sag', { x: MARGIN, y, size: 24, font: fonts.bold });
  y -= 34;
  drawGlyphText(page, drawable(`Sag ${input.caseNumber}`, fonts.covers), {
    x: MARGIN,
    y,
    size: 16,
    font: fonts.bold,
  });
  y -= 40;
  const built = new Intl.DateTimeFormat('da-DK', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: front.timeZone,
  }).format(input.builtAt);
  const rows: [string, string][] = [
    ['Område', input.areaName ?? '(intet område)'],
    ['Sagsbehandler', input.caseworker ?? '(ingen sagsbehandler)'],
    ['Dannet', built],
    ['Dokumenter', String(front.entries.length)],
    ['Sider i alt', String(front.totalPages)],
  ];
  for (const [label, value] of rows) {
    drawGlyphText(page, `${label}:`, { x: MARGIN, y, size: 11, font: fonts.bold });
    drawGlyphText(page, drawable(value, fonts.covers), {
      x: MARGIN + 120,
      y,
      size: 11,
      font: fonts.regular,
    });
    y -= 20;
  }
  y -= 20;
  drawGlyphText(
    page,
    'Dokumenterne står i aktnummerorden. Bilag til en mail har aktnummeret n.1, n.2 …',
    { x: MARGIN, y, size: 9, font: fonts.regular, color: rgb(0.35, 0.35, 0.35) },
  );
}

function linkTo(
  doc: PDFDocument,
  page: PDFPage,
  target: PDFPage,
  rect: [number, number, number, number],
): void {
  const annotation = doc.context.obj({
    Type: 'Annot',
    Subtype: 'Link',
    Rect: rect,
    Border: [0, 0, 0],
    Dest: [target.ref, PDFName.of('Fit')],
  });
  page.node.addAnnot(doc.context.register(annotation));
}

/** Table of contents rows with the page each document starts on; each row links there. */
export function drawToc(
  doc: PDFDocument,
  pages: PDFPage[],
  fonts: Fonts,
  front: FrontMatter,
): void {
  const columns = {
    akt: MARGIN,
    title: MARGIN + 42,
    sender: MARGIN + 270,
    date: MARGIN + 385,
    page: A4[0] - MARGIN,
  };
  const allPages = doc.getPages();
  pages.forEach((page, pageIndex) => {
    let y = A4[1] - MARGIN - 10;
    drawGlyphText(page, pageIndex === 0 ? 'Indholdsfortegnelse' : 'Indholdsfortegnelse (fortsat)', {
      x: MARGIN,
      y,
      size: 16,
      font: fonts.bold,
    });
    y -= 30;
    for (const [label, x] of [
      ['Akt', columns.akt],
      ['Titel', columns.title],
      ['Afsender', columns.sender],
      ['Dato', columns.date],
    ] as const) {
      drawGlyphText(page, label, { x, y, size: SIZE, font: fonts.bold });
    }
    drawGlyphText(page, 'Side', {
      x: columns.page - textWidth(fonts.bold, 'Side', SIZE),
      y,
      size: SIZE,
      font: fonts.bold,
    });
    y -= 6;
    page.drawLine({
      start: { x: MARGIN, y },
      end: { x: columns.page, y },
      thickness: 0.5,
      color: rgb(0.5, 0.5, 0.5),
    });
    y -= ROW;
    for (const entry of front.entries.slice(
      pageIndex * TOC_ROWS_PER_PAGE,
      (pageIndex + 1) * TOC_ROWS_PER_PAGE,
    )) {
      const indent = entry.akt.includes('.') ? 10 : 0;
      const font = indent ? fonts.regular : fonts.bold;
      drawGlyphText(page, drawable(entry.akt, fonts.covers), {
        x: columns.akt + indent / 2,
        y,
        size: SIZE,
        font,
      });
      drawGlyphText(
        page,
        fit(font, entry.title, columns.sender - columns.title - 8 - indent, fonts.covers),
        { x: columns.title + indent, y, size: SIZE, font },
      );
      drawGlyphText(
        page,
        fit(fonts.regular, entry.sender ?? '', columns.date - columns.sender - 8, fonts.covers),
        { x: columns.sender, y, size: SIZE, font: fonts.regular },
      );
      drawGlyphText(
        page,
        fit(fonts.regular, formatDay(entry.date, front.timeZone), 60, fonts.covers),
        { x: columns.date, y, size: SIZE, font: fonts.regular },
      );
      const number = String(entry.firstPage);
      drawGlyphText(page, number, {
        x: columns.page - textWidth(fonts.regular, number, SIZE),
        y,
        size: SIZE,
        font: fonts.regular,
      });
      const target = allPages[entry.firstPage - 1];
      if (target) linkTo(doc, page, target, [MARGIN, y - 3, columns.page, y + SIZE + 2]);
      y -= ROW;
    }
  });
}
