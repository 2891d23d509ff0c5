/** Small hand-written mails for the pipeline tests. */
export function mail(headers: Record<string, string>, body: string): string {
  const all: Record<string, string> = {
    From: 'Lise Sørensen <lise.soerensen77@gmail.com>',
    To: 'Ankestyrelsen <ast@ast.dk>',
    Date: 'Tue, 04 Mar 2025 09:12:44 +0100',
    'MIME-Version': '1.0',
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Transfer-Encoding': '8bit',
    ...headers,
  };
  return `${Object.entries(all)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}\n\n${body}\n`;
}

export const followUp = mail(
  { Subject: 'Vedr. min klage', 'Message-ID': '<follow-1@mail.gmail.com>' },
  'Hej\n\nJeg sender hermed den sidste lægeerklæring. Sagsnr. 24-400011.\n\nMvh Lise',
);

export const sickPayComplaint = mail(
  { Subject: 'Klage over stop af sygedagpenge', 'Message-ID': '<sick-1@mail.gmail.com>' },
  'Kommunen har stoppet mine sygedagpenge efter revurderingen, og jobcentret vil have mig i jobafklaringsforløb. Jeg er stadig sygemeldt og vil klage over afgørelsen om sygedagpenge.',
);

export const autoReply = mail(
  {
    Subject: 'Automatisk svar: Sagsnr. 24-400011',
    'Auto-Submitted': 'auto-replied',
    'Message-ID': '<ooo-1@kk.dk>',
    From: 'Jens Holm <jens.holm@kk.dk>',
  },
  'Jeg er på ferie til og med 14. april og læser ikke mails.',
);

export const cprMail = mail(
  { Subject: 'Klage, cpr 120384-1234', 'Message-ID': '<cpr-1@mail.gmail.com>' },
  'Mit cpr-nummer er 120384-1234. Jeg klager over afslaget på boligstøtte fra Udbetaling Danmark.',
);

/** Not a mail at all: binary bytes with NULs. */
export const broken = Buffer.from([
  0x00, 0x01, 0xff, 0xfe, 0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x13, 0x37,
]);
