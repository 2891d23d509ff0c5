import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { OWN_MARKER_HEADER } from '../../src/daemon/processor.js';
import { MailRejectedError } from '../../src/errors.js';
import { extractMail } from '../../src/pipeline/extract.js';
import { cleanFilename } from '../../src/pipeline/filename.js';
import { parseMail } from '../../src/pipeline/parse.js';
import { FIXTURES } from '../helpers.js';

const scenario = (name: string): Buffer => readFileSync(join(FIXTURES, 'scenarios', name));
const options = {
  caseNumberPatterns: loadConfig(undefined, {}).caseNumberPatterns,
  ownMarkerHeader: OWN_MARKER_HEADER,
};

describe('parsing and extracting the scenario mails', () => {
  it('refuses a file that is not a mail, with the reason', async () => {
    await expect(parseMail(scenario('broken-not-a-mail.eml'))).rejects.toThrow(MailRejectedError);
    await expect(parseMail(scenario('broken-not-a-mail.eml'))).rejects.toThrow(/no mail header/);
  });

  it('reads an 8-bit Latin-1 body without a declared charset as Danish', async () => {
    const mail = await parseMail(scenario('latin1-8bit-no-charset.eml'));
    expect(mail.text).not.toContain('\uFFFD');
    expect(mail.text).toMatch(/[æøå]/);
  });

  it('turns an HTML-only mail into text and keeps its inline image as a related part', async () => {
    const mail = await parseMail(scenario('html-only-beskaeftigelse-cid-image.eml'));
    expect(mail.html).not.toBeNull();
    expect(mail.text.length).toBeGreaterThan(100);
    expect(mail.attachments.some((a) => a.related)).toBe(true);
    expect(extractMail(mail, options).attachmentNames).toEqual([]);
  });

  it.each([
    ['out-of-office-auto-submitted.eml', 'auto-reply'],
    ['auto-reply-x-autoreply-without-auto-submitted.eml', 'auto-reply'],
    ['bounce-delivery-status.eml', 'bounce'],
    ['newsletter-precedence-bulk.eml', 'bulk'],
    ['followup-sagsnr-24-100003-boern-unge.eml', null],
  ])('%s is automatic mail of kind %s', async (file, kind) => {
    expect(extractMail(await parseMail(scenario(file)), options).automatic).toBe(kind);
  });

  it.each([
    ['followup-sagsnr-24-100003-boern-unge.eml', '24-100003'],
    ['followup-sagsnummer-24-20004-handicap-aeldre.eml', '24-020004'],
    ['followup-jnr-2024-0300005-beskaeftigelse.eml', '24-300005'],
    ['followup-jeres-ref-25-400002-arbejdsskade.eml', '25-400002'],
    ['followup-vores-ref-25-500001-udbetaling-danmark.eml', '25-500001'],
  ])('finds the case number of %s as %s', async (file, number) => {
    const hits = extractMail(await parseMail(scenario(file)), options).caseNumbers;
    expect(hits[0]?.caseNumber).toBe(number);
  });

  it('finds a case number that only stands in the quoted history, marked as quoted', async () => {
    const hits = extractMail(
      await parseMail(scenario('followup-casenumber-only-in-quoted-history.eml')),
      options,
    ).caseNumbers;
    expect(hits.map((h) => [h.caseNumber, h.source])).toContainEqual(['24-300005', 'quoted']);
  });

  it('counts CPR numbers without keeping them', async () => {
    const extracted = extractMail(
      await parseMail(scenario('cpr-in-subject-and-body.eml')),
      options,
    );
    expect(extracted.cprCount).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(extracted.caseNumbers)).not.toMatch(/\d{6}-\d{4}/);
  });

  it('decodes Polish and Greek sender names', async () => {
    expect((await parseMail(scenario('polish-name-with-z-in-from.eml'))).from?.name).toMatch(/ż|Ż/);
    expect((await parseMail(scenario('greek-name-in-from.eml'))).from?.name).toMatch(/[Α-ω]/);
  });

  it('cleans attachment names: no path, no control or bidi characters', () => {
    expect(cleanFilename('../../etc/passwd', 'x')).toBe('passwd');
    expect(cleanFilename('C:\\Users\\x\\Afgørelse.pdf', 'x')).toBe('Afgørelse.pdf');
    expect(cleanFilename('faktura\u202Efdp.exe', 'x')).toBe('fakturafdp.exe');
    expect(cleanFilename('..', 'vedhaeftning-1')).toBe('vedhaeftning-1');
  });
});
