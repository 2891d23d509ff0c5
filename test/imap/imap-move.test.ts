import { afterEach, describe, expect, it } from 'vitest';
import { createImapMove } from '../../src/daemon/actions/imap-move.js';
import { ImapSession } from '../../src/daemon/imap/session.js';
import type { ActionItem } from '../../src/daemon/ports.js';
import type { ActionRecord, MessageRecord } from '../../src/journal/records.js';
import { silentLogger } from '../../src/log/logger.js';
import { fixtureBatch, imapConfig, imapTestAccount } from './harness.js';

const FOLDER = 'Sager';
const BASE = 'IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE CHILDREN LIST-EXTENDED ESEARCH';

describe.each([
  ['with MOVE and UIDPLUS', undefined],
  ['without MOVE, with UIDPLUS', `${BASE} UIDPLUS`],
  ['without MOVE and UIDPLUS', BASE],
])('the IMAP move of a batch of mails, on a server %s', (_name, capability) => {
  const account = imapTestAccount({ sink: false, dovecot: capability ? { capability } : {} });
  const { dovecot } = account;
  let session: ImapSession | null = null;

  afterEach(async () => {
    await session?.close();
    session = null;
  });

  /** The inbox's mails as the outbox would hand them to the handler: one move each to FOLDER. */
  async function inboxAsItems(s: ImapSession, messageIds: string[]): Promise<ActionItem[]> {
    const client = await s.connected();
    const rows = await client.fetchAll('1:*', { uid: true, envelope: true });
    return rows.map((row, index) => {
      const messageId = row.envelope?.messageId ?? null;
      expect(messageIds).toContain(messageId);
      const message = {
        id: index + 1,
        messageId,
        locator: {
          account: s.account,
          mailbox: 'INBOX',
          uidValidity: s.uidValidity!,
          uid: String(row.uid),
        },
      } as MessageRecord;
      const action = {
        id: index + 1,
        messageId: index + 1,
        kind: 'move',
        target: FOLDER,
        attempts: 0,
      } as ActionRecord;
      return { action, message };
    });
  }

  it('moves them with one command, confirms a move already made, and refuses to call a mail moved that someone else took', async () => {
    const batch = fixtureBatch(4);
    await dovecot.deliver(batch.map((m) => m.raw));
    const { config } = imapConfig(account.dir(), dovecot, null);
    session = new ImapSession(config, config.imap!, silentLogger());
    const move = createImapMove(session, silentLogger(), (message) => message.messageId);
    const items = await inboxAsItems(
      session,
      batch.map((m) => m.messageId),
    );
    // A person deletes the last mail after the robot decided it, before its move.
    const taken = items[3]!.message.messageId!;
    dovecot.doveadm('expunge', '-u', 'robot', 'mailbox', 'INBOX', 'header', 'Message-ID', taken);

    const first = await move.many!(items);
    expect(first.slice(0, 3)).toEqual([null, null, null]);
    expect(first[3]).toMatchObject({ code: 'MailLeftInbox', retryable: false });
    expect(dovecot.count(FOLDER)).toBe(3);
    // Left in the inbox: nothing, or (without UIDPLUS) only our copied mail flagged \Deleted.
    expect(dovecot.doveadm('search', '-u', 'robot', 'mailbox', 'INBOX', 'undeleted').trim()).toBe(
      '',
    );

    // The same moves again, as after a crash before the ledger recorded them: done, and
    // nothing is moved or copied twice.
    const again = await move.many!(items.slice(0, 3));
    expect(again).toEqual([null, null, null]);
    expect(dovecot.count(FOLDER)).toBe(3);
    expect(dovecot.messageIds(FOLDER).sort()).toEqual(
      batch
        .slice(0, 3)
        .map((m) => m.messageId)
        .sort(),
    );
  });
});
