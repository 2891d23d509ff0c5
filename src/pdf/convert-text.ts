import { PDFDocument } from 'pdf-lib';
import { DOCUMENT_SAVE } from './save-options.js';
import { embedFonts, type FontBytes } from './fonts.js';
import { PageWriter } from './page-writer.js';
import { listZip } from './zip-index.js';

/** UTF-8 when the bytes are valid UTF-8 (or carry a BOM), else Windows-1252, the usual Danish legacy. */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

async function textDocument(
  title: string,
  body: (writer: PageWriter) => void,
  fontBytes: FontBytes,
): Promise<{ pdf: Uint8Array; pages: number }> {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  doc.setProducer('postrobot');
  const writer = new PageWriter(doc, await embedFonts(doc, fontBytes, { mono: true }));
  writer.paragraph(title, { font: 'bold', size: 12, after: 8 });
  body(writer);
  writer.numberPages();
  return { pdf: await doc.save(DOCUMENT_SAVE), pages: doc.getPageCount() };
}

/** A text or CSV file in a monospaced font, so that columns stay lined up. */
export function textToPdf(
  bytes: Uint8Array,
  filename: string,
  fontBytes: FontBytes,
  maxChars: number,
): Promise<{ pdf: Uint8Array; pages: number }> {
  const text = decodeText(bytes.subarray(0, maxChars * 4));
  const shown =
    text.length > maxChars ? `${text.slice(0, maxChars)}\n\n[… filen er afkortet]` : text;
  return textDocument(
    filename,
    (writer) => writer.paragraph(shown, { font: 'mono', size: 8.5 }),
    fontBytes,
  );
}

/** A zip is listed, never unpacked: names and sizes from its central directory. */
export function zipToPdf(
  bytes: Uint8Array,
  filename: string,
  fontBytes: FontBytes,
): Promise<{ pdf: Uint8Array; pages: number }> {
  const listing = listZip(bytes);
  return textDocument(
    `Indhold af ${filename}`,
    (writer) => {
      writer.paragraph(
        `Zip-arkivet indeholder ${listing.declared} poster. Filerne er ikke pakket ud; arkivet er gemt uændret på sagen.`,
        { after: 8 },
      );
      for (const entry of listing.entries) {
        const flags = entry.encrypted ? ' (krypteret)' : '';
        writer.paragraph(
          entry.directory ? entry.name : `${entry.name}  –  ${entry.size} bytes${flags}`,
          { font: 'mono', size: 8.5 },
        );
      }
      if (listing.entries.length < listing.declared)
        writer.paragraph(`[… ${listing.declared - listing.entries.length} poster mere]`);
    },
    fontBytes,
  );
}
