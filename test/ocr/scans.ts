/** Scanned letters and mails carrying them, made fresh by the tests. */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { degrade, imageOnlyPdf, letterLines, letterPdf, rasterise } from '../../bench/ocr-pages.js';
import { parseMail } from '../../src/pipeline/parse.js';
import type { ParsedMail } from '../../src/types.js';

/** A Danish letter about `caseNumber`, scanned at 300 dpi with some noise, as PNG. */
export async function scannedLetterPng(caseNumber: string, variant = 0): Promise<Buffer> {
  return degrade(
    await rasterise(await letterPdf(letterLines(caseNumber, variant))),
    'noisy',
    variant + 1,
  );
}

/** The same letter as a PDF with only the page image (no text layer). */
export async function scannedLetterPdf(caseNumber: string, variant = 0): Promise<Uint8Array> {
  return imageOnlyPdf([await scannedLetterPng(caseNumber, variant)]);
}

/** The letter as a born-digital PDF: a real text layer. */
export async function textLetterPdf(caseNumber: string, variant = 0): Promise<Uint8Array> {
  return letterPdf(letterLines(caseNumber, variant));
}

/** A citizen's mail whose body names no case; the scan is attached. */
export async function mailWithScan(
  file: { filename: string; content: Uint8Array; contentType: string },
  messageId: string,
): Promise<Buffer> {
  const composer = new MailComposer({
    from: 'Lise Sørensen <lise.soerensen77@gmail.com>',
    to: 'Ankestyrelsen <ast@ast.dk>',
    subject: 'Brev fra kommunen',
    messageId,
    date: new Date('2025-03-04T09:12:44+01:00'),
    text: 'Hej\n\nHer er brevet fra kommunen, som jeg fik i går.\n\nMvh Lise',
    attachments: [
      {
        filename: file.filename,
        content: Buffer.from(file.content),
        contentType: file.contentType,
      },
    ],
  });
  return composer.compile().build();
}

export async function parsed(raw: Buffer): Promise<ParsedMail> {
  return parseMail(raw);
}
