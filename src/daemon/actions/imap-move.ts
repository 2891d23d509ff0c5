import type { Logger } from 'pino';
import { ActionError, describeError } from '../../errors.js';
import type { ImapSession } from '../imap/session.js';
import type { ActionHandler } from '../ports.js';

/**
 * Moves a mail out of the inbox to its folder (created when missing). UID MOVE where the
 * server has MOVE; otherwise COPY, \Deleted, and UID EXPUNGE of just that UID when the
 * server has UIDPLUS — without UIDPLUS nothing is expunged, so other people's \Deleted
 * mail is never removed. A UID that is no longer in the inbox counts as moved (a retry
 * after a crash between the MOVE and the ledger).
 */
export function createImapMove(session: ImapSession, log: Logger): ActionHandler {
  return async (action, message) => {
    const { locator } = message;
    let client;
    try {
      client = await session.connected();
    } catch (error) {
      throw new ActionError(
        'ImapUnavailable',
        `cannot reach the IMAP server: ${describeError(error)}`,
        true,
        error,
      );
    }
    if (session.uidValidity !== locator.uidValidity) {
      throw new ActionError(
        'UidValidityChanged',
        `UIDVALIDITY of ${locator.mailbox} changed from ${locator.uidValidity} to ${session.uidValidity}; the mail is seen again under its new UID and linked to this one`,
        false,
      );
    }
    try {
      await session.ensureFolder(client, action.target);
      const uid = locator.uid;
      const caps = session.capabilities;
      if (caps.has('MOVE')) {
        const moved = await client.messageMove(uid, action.target, { uid: true });
        if (moved === false) throw new Error('UID MOVE was refused');
      } else {
        const copied = await client.messageCopy(uid, action.target, { uid: true });
        if (copied === false) throw new Error('UID COPY was refused');
        await client.messageFlagsAdd(uid, ['\\Deleted'], { uid: true });
        if (caps.has('UIDPLUS')) await client.messageDelete(uid, { uid: true });
        else
          log.info(
            { event: 'imap-no-uidplus', messageId: message.id },
            'server lacks UIDPLUS: mail flagged \\Deleted, not expunged',
          );
      }
      session.touch();
    } catch (error) {
      if (error instanceof ActionError) throw error;
      session.drop();
      throw new ActionError(
        'ImapMoveFailed',
        `cannot move mail ${message.id} to "${action.target}": ${describeError(error)}`,
        true,
        error,
      );
    }
  };
}
