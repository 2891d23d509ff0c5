import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/daemon/main.js';
import { silentLogger } from '../../src/log/logger.js';
import { autoReply, sickPayComplaint } from '../foundation/mails.js';
import { tempDir } from '../helpers.js';
import { Dovecot } from './dovecot.js';
import { imapConfig } from './harness.js';

const BASE =
  'IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT THREAD=REFERENCES MULTIAPPEND UNSELECT CHILDREN NAMESPACE LIST-EXTENDED I18NLEVEL=1 CONDSTORE ESEARCH SEARCHRES LIST-STATUS';

describe.each([
  ['without MOVE but with UIDPLUS', `${BASE} UIDPLUS`, true],
  ['without MOVE and UIDPLUS', BASE, false],
])('a server %s', (_name, capability, uidplus) => {
  let dovecot: Dovecot;
  let dir: string;
  let cleanup: () => void;
  beforeEach(async () => {
    dovecot = new Dovecot({ capability });
    await dovecot.start();
    ({ dir, cleanup } = tempDir());
  });
  afterEach(async () => {
    await dovecot.destroy();
    cleanup?.();
  });

  it("gets its mail routed by COPY, and never loses a person's own \\Deleted mail", async () => {
    // A person has flagged a mail \Deleted in the shared inbox but not expunged it.
    await dovecot.deliver([autoReply]);
    dovecot.doveadm('flags', 'add', '-u', 'robot', '\\Deleted', 'mailbox', 'INBOX', 'all');
    await dovecot.deliver([sickPayComplaint]);
    const runtime = createRuntime(imapConfig(dir, dovecot, null).config, silentLogger());
    try {
      await runtime.daemon.pass();
      const session = (runtime.source as unknown as { session: { capabilities: Set<string> } })
        .session;
      expect(session.capabilities.has('MOVE')).toBe(false);
      expect(session.capabilities.has('UIDPLUS')).toBe(uidplus);
      expect(dovecot.count('Beskæftigelse')).toBe(1);
      // The person's \Deleted mail is still there, untouched and not taken in.
      expect(runtime.journal.listMessages({})).toHaveLength(1);
      const left = dovecot
        .doveadm('search', '-u', 'robot', 'mailbox', 'INBOX', 'all')
        .trim()
        .split('\n')
        .filter(Boolean);
      // With UIDPLUS only our UID is expunged; without it ours stays flagged \Deleted too.
      expect(left).toHaveLength(uidplus ? 1 : 2);
      expect((await runtime.daemon.pass()).outcomes.decided).toBe(0);
    } finally {
      await runtime.close();
    }
  });
});
