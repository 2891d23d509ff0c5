import type { DocumentRecord } from '../../journal/records.js';
import { scrubCpr } from '../../log/cpr.js';

/** What a notice or digest says about one document. */
export type NoticeDocument = Pick<
  DocumentRecord,
  'akt' | 'sub' | 'kind' | 'title' | 'sender' | 'dated'
>;

export interface ComposedMail {
  subject: string;
  text: string;
}

const DAY = new Intl.DateTimeFormat('da-DK', {
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  timeZone: 'Europe/Copenhagen',
});

function danishDay(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : DAY.format(date);
}

function aktLabel(doc: NoticeDocument): string {
  if (doc.akt === null) return '';
  return doc.sub > 0 ? `Akt ${doc.akt}.${doc.sub}` : `Akt ${doc.akt}`;
}

/** One line per document; titles are subjects and file names, so CPR numbers are masked. */
function documentLine(doc: NoticeDocument): string {
  const details = [doc.kind === 'mail' ? doc.sender : null, danishDay(doc.dated)]
    .filter(Boolean)
    .join(', ');
  const label = aktLabel(doc);
  return `  ${label ? label.padEnd(10) : ''}${scrubCpr(doc.title)}${details ? ` (${scrubCpr(details)})` : ''}`;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The caseworker's notice of new documents on a case, in Danish. Pure. */
export function composeNotice(input: {
  caseNumber: string;
  areaName: string | null;
  documents: NoticeDocument[];
  bundleLink: string;
  bundleAttached: boolean;
}): ComposedMail {
  const { caseNumber, documents } = input;
  const lines = [
    'Kære sagsbehandler',
    '',
    `Der er kommet ny post på sag ${caseNumber}${input.areaName ? ` (${input.areaName})` : ''}.`,
    '',
    `Nye dokumenter (${documents.length}):`,
    ...documents.map(documentLine),
    '',
    `Den samlede sag som én PDF: ${input.bundleLink}`,
    ...(input.bundleAttached ? ['Den samlede sag er også vedhæftet denne mail.'] : []),
    '',
    'Med venlig hilsen',
    'Postrobotten, Ankestyrelsen',
    '',
    'Denne besked er sendt automatisk. Svar venligst ikke på den.',
  ];
  return {
    subject: `Ny post på sag ${caseNumber}: ${plural(documents.length, 'nyt dokument', 'nye dokumenter')}`,
    text: lines.join('\n') + '\n',
  };
}

/** The area team's daily digest of new post without a case number, in Danish. Pure. */
export function composeDigest(input: {
  areaName: string;
  day: string;
  documents: NoticeDocument[];
}): ComposedMail {
  const mails = input.documents.filter((doc) => doc.kind === 'mail');
  const attachments = input.documents.length - mails.length;
  const lines = [
    `Ny post uden sagsnummer i ${input.areaName} siden sidste oversigt:`,
    '',
    ...mails.map(documentLine),
    '',
    `I alt ${plural(mails.length, 'mail', 'mails')}${attachments > 0 ? ` med ${plural(attachments, 'bilag', 'bilag')}` : ''}.`,
    'Posten ligger i områdets mappe og venter på at blive knyttet til en sag.',
    '',
    'Denne oversigt er sendt automatisk af postrobotten. Svar venligst ikke på den.',
  ];
  return {
    subject: `Daglig oversigt ${input.day}: ${plural(mails.length, 'ny mail', 'nye mails')} uden sag i ${input.areaName}`,
    text: lines.join('\n') + '\n',
  };
}
