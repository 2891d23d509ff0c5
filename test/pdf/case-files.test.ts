import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobStore, sha256Hex } from '../../src/journal/blob-store.js';
import type { NewDocument } from '../../src/journal/records.js';
import { SqliteJournal } from '../../src/journal/sqlite-journal.js';
import { BundleQueue, rebuildCaseBundle, type CaseFilesDeps } from '../../src/pdf/index.js';
import { parseMail } from '../../src/pipeline/parse.js';
import { hugePngHeader, pdfPages, pdfText, qpdfCheck, tempFolder } from './helpers.js';

function eml(subject: string, attachment?: { name: string; bytes: Buffer }): Buffer {
  const head = [
    'From: Søren Ærø <soeren@example.dk>',
    'To: ast@ast.dk',
    `Subject: ${subject}`,
    'Date: Tue, 12 Mar 2024 10:00:00 +0100',
    'MIME-Version: 1.0',
  ];
  if (!attachment)
    return Buffer.from(
      [
        ...head,
        'Content-Type: text/plain; charset=utf-8',
        '',
        `Brødtekst for ${subject}.`,
        '',
      ].join('\r\n'),
    );
  return Buffer.from(
    [
      ...head,
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Brødtekst for ${subject}.`,
      '--b',
      `Content-Type: image/png; name="${attachment.name}"`,
      'Content-Transfer-Encoding: base64',
      `Content-Disposition: attachment; filename="${attachment.name}"`,
      '',
      attachment.bytes.toString('base64'),
      '--b--',
      '',
    ].join('\r\n'),
  );
}

describe('documents filed on a case and its PDF', () => {
  let folder: ReturnType<typeof tempFolder>;
  let journal: SqliteJournal;
  let deps: CaseFilesDeps;
  let uid = 0;

  beforeEach(() => {
    folder = tempFolder();
    journal = new SqliteJournal(join(folder.dir, 'journal.sqlite'));
    deps = {
      journal,
      blobs: new BlobStore(join(folder.dir, 'store')),
      bundleDir: join(folder.dir, 'bundles'),
    };
  });
  afterEach(() => {
    journal.close();
    folder.remove();
  });

  /** What the pipeline does for one mail: raw bytes and attachments stored, documents committed. */
  async function receive(raw: Buffer, caseNumber: string | null): Promise<number> {
    const sha = deps.blobs.put(raw, 'eml');
    const at = new Date().toISOString();
    uid += 1;
    const message = journal.recordReceived(
      {
        locator: { account: 'a', mailbox: 'INBOX', uidValidity: 1, uid: String(uid) },
        sha256: sha,
        size: raw.length,
        receivedAt: at,
      },
      null,
    );
    const mail = await parseMail(raw);
    for (const attachment of mail.attachments) deps.blobs.put(attachment.content, 'bin');
    const documents: NewDocument[] = [
      {
        kind: 'mail',
        title: mail.subject,
        sender: mail.from?.name ?? null,
        dated: mail.date,
        filename: null,
        contentType: 'message/rfc822',
        size: raw.length,
        sha256: sha,
        note: null,
      },
      ...mail.attachments.map((a) => ({
        kind: 'attachment' as const,
        title: a.filename,
        sender: mail.from?.name ?? null,
        dated: mail.date,
        filename: a.filename,
        contentType: a.contentType,
        size: a.size,
        sha256: a.sha256,
        note: null,
      })),
    ];
    journal.commitDecision({
      messageId: message.id,
      status: 'decided',
      summary: {
        subject: mail.subject,
        sender: null,
        sentAt: mail.date,
        messageIdHeader: mail.messageId,
      },
      decision: 'route',
      area: 'boern-unge',
      confidence: 0.99,
      caseNumber,
      folder: 'Børn',
      reasons: [],
      automatic: null,
      error: null,
      shadow: false,
      ensureCase: caseNumber ? { number: caseNumber, area: 'boern-unge' } : null,
      documents,
      actions: [],
      events: [],
    });
    return message.id;
  }

  it('each mail becomes akt n and its attachments n.1 …, with PDFs in the blob store and a bundle', async () => {
    await receive(eml('Klage over anbringelse'), '24-123456');
    await receive(
      eml('Eftersendte bilag', { name: 'kæmpe.png', bytes: hugePngHeader(30_000, 30_000) }),
      '24-123456',
    );
    const result = await rebuildCaseBundle(deps, '24-123456', { inWorker: false });
    expect(result.entries.map((e) => e.akt)).toEqual(['1', '2', '2.1']);
    const documents = journal.caseDocuments('24-123456');
    expect(documents.every((d) => d.pdfSha256 && deps.blobs.has(d.pdfSha256, 'pdf'))).toBe(true);
    expect(documents[2]!.note).toMatch(/^placeholder: .*ImageTooLarge/);
    // The original bytes stay in the store as they came.
    expect(sha256Hex(deps.blobs.read(documents[2]!.sha256, 'bin'))).toBe(documents[2]!.sha256);
    expect(journal.events({ caseNumber: '24-123456' }).map((e) => e.kind)).toEqual(
      expect.arrayContaining(['document-placeholder', 'bundle-built']),
    );
    expect(qpdfCheck(result.file)).toBe(0);
    expect(pdfText(result.file, result.pages)).toContain('Dokumentet kan ikke vises');
  });

  it('new post attached to a case later gets the next akt number and renumbers nothing', async () => {
    await receive(eml('Første henvendelse'), '24-123456');
    const loose = await receive(eml('Ny post uden sagsnummer'), null);
    await receive(eml('Anden henvendelse'), '24-123456');
    expect(journal.newPost(null).map((d) => d.messageId)).toEqual([loose]);
    const filed = journal.attachToCase(loose, '24-123456', new Date().toISOString(), 'triage');
    expect(filed.map((d) => d.akt)).toEqual([3]);
    expect(journal.caseDocuments('24-123456').map((d) => [d.akt, d.title])).toEqual([
      [1, 'Første henvendelse'],
      [2, 'Anden henvendelse'],
      [3, 'Ny post uden sagsnummer'],
    ]);
    expect(
      journal
        .attachToCase(loose, '24-123456', new Date().toISOString(), 'triage')
        .map((d) => d.akt),
    ).toEqual([3]);
    expect(() =>
      journal.attachToCase(loose, '24-999999', new Date().toISOString(), 'triage'),
    ).toThrow(/already filed on case 24-123456/);
  });

  it('the queue rebuilds a case PDF in a worker, once for several changes', async () => {
    await receive(eml('Klage'), '24-654321');
    const queue = new BundleQueue(deps, { quietMs: 50 });
    queue.enqueue('24-654321');
    queue.enqueue('24-654321');
    await queue.idle();
    const file = join(deps.bundleDir, '24-654321.pdf');
    expect(existsSync(file)).toBe(true);
    expect(pdfPages(file)).toBe(3);
    expect(
      journal.events({ caseNumber: '24-654321' }).filter((e) => e.kind === 'bundle-built'),
    ).toHaveLength(1);
    await queue.close();
  });

  it('the queue waits for a quiet spell, and close() drops what waits without building it', async () => {
    await receive(eml('Klage'), '24-111111');
    const queue = new BundleQueue(deps, { quietMs: 60_000 });
    queue.enqueue('24-111111');
    const started = Date.now();
    await queue.close();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(existsSync(join(deps.bundleDir, '24-111111.pdf'))).toBe(false);
  });
});
