import type { Logger } from 'pino';
import type { Config } from '../config/load.js';
import type { BlobStore } from '../journal/blob-store.js';
import type { Journal } from '../journal/journal.js';
import type { MessageRecord } from '../journal/records.js';
import type { CompiledRouting } from '../pipeline/routing.js';
import { createImapMove } from './actions/imap-move.js';
import { createMaildirMove } from './actions/maildir-move.js';
import { createSmtpForward } from './actions/smtp-forward.js';
import { ImapSession } from './imap/session.js';
import type { ActionHandlers, MailSource } from './ports.js';
import { ImapSource } from './sources/imap.js';
import { MaildirSource } from './sources/maildir.js';

/** The Message-ID header of a mail: from the ledger, else from the stored bytes' header. */
function messageIdOf(message: MessageRecord, blobs: BlobStore): string | null {
  if (message.messageId) return message.messageId;
  if (!blobs.has(message.sha256, 'eml')) return null;
  const text = blobs.read(message.sha256, 'eml').subarray(0, 65536).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const header = end === -1 ? text : text.slice(0, end);
  return /^message-id:[ \t]*(<[^>\r\n]+>)/im.exec(header)?.[1] ?? null;
}

export interface Adapters {
  source: MailSource;
  handlers: ActionHandlers;
  session: ImapSession | null;
}

/** The source and the action handlers the config asks for: Maildir by default, IMAP and SMTP when configured. */
export function createAdapters(
  config: Config,
  journal: Journal,
  blobs: BlobStore,
  log: Logger,
  routing: () => CompiledRouting,
): Adapters {
  const handlers: ActionHandlers = {};
  if (config.smtp) {
    handlers.forward = createSmtpForward(
      config,
      config.smtp,
      blobs,
      log.child({ component: 'smtp' }),
      () => routing().config,
    );
  }
  if (config.main.source.kind === 'imap' && config.imap) {
    const imapLog = log.child({ component: 'imap' });
    const session = new ImapSession(config, config.imap, imapLog, {
      onUidValidity: (_previous, current) => {
        const mailbox = config.main.imap.mailbox;
        const stored = journal.lastUidValidity(session.account, mailbox);
        if (stored !== null && stored !== current) {
          imapLog.warn(
            { event: 'uidvalidity-changed', mailbox, previous: stored, current },
            'UIDVALIDITY changed: every mail is seen anew; mail already handled (same bytes) is linked, not routed again',
          );
        }
        journal.saveUidValidity(session.account, mailbox, current, new Date().toISOString());
      },
    });
    handlers.move = createImapMove(session, imapLog, (message) => messageIdOf(message, blobs));
    return { source: new ImapSource(session, imapLog), handlers, session };
  }
  handlers.move = createMaildirMove(config.inboxDir);
  return { source: new MaildirSource(config.inboxDir), handlers, session: null };
}
