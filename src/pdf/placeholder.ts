import { PDFDocument, rgb } from 'pdf-lib';
import { DOCUMENT_SAVE } from './save-options.js';
import { embedFonts, type FontBytes } from './fonts.js';
import { PageWriter } from './page-writer.js';

export interface PlaceholderInfo {
  filename: string;
  detectedType: string;
  size: number;
  sha256: string;
  reason: string;
}

/**
 * One page standing in for a document that cannot be shown: it says which file, what it
 * is, and why, so that the caseworker knows the original is kept on the case.
 */
export async function renderPlaceholderPdf(
  info: PlaceholderInfo,
  fontBytes: FontBytes,
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`Kan ikke vises: ${info.filename}`);
  doc.setProducer('postrobot');
  const fonts = await embedFonts(doc, fontBytes);
  const writer = new PageWriter(doc, fonts);
  writer.paragraph('Dokumentet kan ikke vises', { font: 'bold', size: 16, after: 10 });
  writer.paragraph(
    'Filen er gemt uændret på sagen. Denne side står i stedet for den i den samlede PDF.',
    { after: 10 },
  );
  writer.field('Filnavn:', info.filename);
  writer.field('Type:', info.detectedType);
  writer.field('Størrelse:', `${info.size} bytes`);
  writer.field('SHA-256:', info.sha256, { size: 7.5 });
  writer.field('Årsag:', info.reason);
  writer.rule();
  writer.paragraph('postrobot', { size: 8, color: rgb(0.5, 0.5, 0.5) });
  return doc.save(DOCUMENT_SAVE);
}
