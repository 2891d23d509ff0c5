import { describe, expect, it } from 'vitest';
import { splitQuoted } from '../../src/pipeline/quoted.js';

describe('splitting the new text from the quoted history', () => {
  it('cuts an Outlook "Fra:/Sendt:" block and everything below it', () => {
    const body = [
      'Hej Ankestyrelsen',
      '',
      'Jeg sender hermed lægeerklæringen om min arbejdsskade.',
      '',
      'Med venlig hilsen',
      'Jens',
      '',
      'Fra: Ankestyrelsen <ast@ast.dk>',
      'Sendt: 12. marts 2025 10:14',
      'Til: Jens Hansen',
      'Emne: Sagsnr. 25-400002',
      '',
      'Vi har modtaget din klage over din anbringelse.',
    ].join('\n');
    const split = splitQuoted(body);
    expect(split.newText).toContain('arbejdsskade');
    expect(split.newText).not.toContain('anbringelse');
    expect(split.quoted).toContain('Sagsnr. 25-400002');
  });

  it('cuts "-----Oprindelig meddelelse-----" and "Den … skrev …:" with > quoting', () => {
    expect(splitQuoted('Tak.\n-----Oprindelig meddelelse-----\nFra: x').newText).toBe('Tak.');
    const gmail =
      'Ja tak\n\nDen tirs. 4. mar. 2025 kl. 10.14 skrev Ankestyrelsen <ast@ast.dk>:\n> Vores ref. 25-004321\n> Hej';
    const split = splitQuoted(gmail);
    expect(split.newText).toBe('Ja tak');
    expect(split.quoted).toContain('25-004321');
  });

  it('cuts the signature of a phone', () => {
    expect(splitQuoted('Hvornår får jeg svar?\n\nSendt fra min iPhone').newText).toBe(
      'Hvornår får jeg svar?',
    );
  });

  it('keeps a mail without history whole', () => {
    const text = 'Jeg vil klage over afslaget på kontanthjælp.\nMvh Lise';
    expect(splitQuoted(text)).toEqual({ newText: text, quoted: '' });
  });
});
