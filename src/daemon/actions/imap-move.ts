import type { ImapFlow } from 'imapflow';
import type { Logger } from 'pino';
import { ActionError, describeError } from '../../errors.js';
import type { MessageRecord } from '../../journal/records.js';
import type { ImapSession } from '../imap/session.js';
import type { ActionHandler, ActionItem } from '../ports.js';

/** The Message-ID header of a mail as the ledger or its stored bytes know it; null if none. */
export type MessageIdOf = (message: MessageRecord) => string | null;

/**
 * Moves mails out of the inbox to their folders (created when missing): one UID MOVE per
 * folder for all the mails of a batch. Where the server lacks MOVE: COPY, \Deleted, and
 * UID EXPUNGE of just those UIDs when it has UIDPLUS — without UIDPLUS nothing is
 * expunged, so other people's \Deleted mail is never removed.
 *
 * A UID that the command did not move (COPYUID leaves it out; without UIDPLUS: it was
 * not in the inbox before the command) is done only when the target folder holds a mail
 * with its Message-ID — the MOVE of an earlier run that crashed before its ledger commit.
 * Otherwise someone else moved or deleted it, and the action fails with that reason
 * (not retried, alerted) rather than being recorded as a move that nobody can show.
 */
export function createImapMove(
  session: ImapSession,
  log: Logger,
  messageIdOf: MessageIdOf,
): ActionHandler {
  const many = async (items: ActionItem[]): Promise<(unknown | null)[]> => {
    const results: (unknown | null)[] = items.map(() => null);
    let client: ImapFlow;
    try {
      client = await session.connected();
    } catch (error) {
      const unavailable = new ActionError(
        'ImapUnavailable',
        `cannot reach the IMAP server: ${describeError(error)}`,
        true,
        error,
      );
      return items.map(() => unavailable);
    }
    const byFolder = new Map<string, number[]>();
    items.forEach(({ action, message }, index) => {
      const { locator } = message;
      if (session.uidValidity !== locator.uidValidity) {
        results[index] = new ActionError(
          'UidValidityChanged',
          `UIDVALIDITY of ${locator.mailbox} changed from ${locator.uidValidity} to ${session.uidValidity}; the mail is seen again under its new UID and linked to this one`,
          false,
        );
        return;
      }
      byFolder.set(action.target, [...(byFolder.get(action.target) ?? []), index]);
    });
    let broken: unknown = null;
    for (const [folder, indexes] of byFolder) {
      const group = indexes.map((index) => items[index]!);
      if (broken !== null) {
        for (const index of indexes) results[index] = broken;
        continue;
      }
      try {
        const outcomes = await moveToFolder(client, folder, group);
        outcomes.forEach((outcome, k) => (results[indexes[k]!] = outcome));
      } catch (error) {
        // The connection is in an unknown state: the rest waits for a new one (a retry).
        session.drop();
        broken = new ActionError(
          'ImapMoveFailed',
          `cannot move ${group.length} mail(s) to "${folder}": ${describeError(error)}`,
          true,
          error,
        );
        for (const index of indexes) results[index] = broken;
      }
    }
    if (broken === null) session.touch();
    return results;
  };

  /** Moves one folder's mails; the outcome of each (null: moved), in order. */
  async function moveToFolder(
    client: ImapFlow,
    folder: string,
    group: ActionItem[],
  ): Promise<(unknown | null)[]> {
    await session.ensureFolder(client, folder);
    const uids = group.map(({ message }) => message.locator.uid);
    const caps = session.capabilities;
    const { moved, left } = caps.has('MOVE')
      ? await move(client, folder, uids, caps.has('UIDPLUS'))
      : await copyAndDelete(client, folder, group, caps.has('UIDPLUS'));
    const gone = group.filter(
      ({ message }) => !moved.has(message.locator.uid) && !left.has(message.locator.uid),
    );
    const found =
      gone.length > 0
        ? await session.findByMessageId(
            folder,
            gone.map(({ message }) => messageIdOf(message)).filter((id) => id !== null),
          )
        : new Set<string>();
    return group.map(({ message }) => {
      const uid = message.locator.uid;
      if (moved.has(uid)) return null;
      if (left.has(uid)) {
        return new ActionError(
          'MoveNotDone',
          `the server left mail ${message.id} (UID ${uid}) in ${message.locator.mailbox}; trying again`,
          true,
        );
      }
      const id = messageIdOf(message);
      if (id !== null && found.has(id)) {
        log.info(
          { event: 'imap-move-already-done', messageId: message.id, folder },
          'mail was already in its folder (moved before a crash)',
        );
        return null;
      }
      return new ActionError(
        'MailLeftInbox',
        `mail ${message.id} (UID ${uid}) is no longer in ${message.locator.mailbox}, and "${folder}" holds no mail with its Message-ID: someone else moved or deleted it`,
        false,
      );
    });
  }

  /**
   * UID MOVE of the set. Which UIDs moved: COPYUID says (UIDPLUS), or those in the inbox
   * before and not after. imapflow takes Dovecot's "NO [EXPUNGEISSUED] Some of the
   * requested messages no longer exist" — where nothing was moved — for success, so what
   * is still in the inbox afterwards is tried once more and else left for a retry.
   */
  async function move(
    client: ImapFlow,
    folder: string,
    uids: string[],
    uidplus: boolean,
  ): Promise<{ moved: Set<string>; left: Set<string> }> {
    const moved = new Set<string>();
    let pending = uids;
    for (let round = 0; round < 2 && pending.length > 0; round += 1) {
      const set = pending.join(',');
      const before = uidplus ? null : await uidsIn(client, set);
      const result = await client.messageMove(set, folder, { uid: true });
      if (!result) throw new Error('UID MOVE was refused');
      const confirmed = new Set([...(result.uidMap?.keys() ?? [])].map(String));
      const unsure = before === null ? pending.filter((uid) => !confirmed.has(uid)) : pending;
      const after = unsure.length > 0 ? await uidsIn(client, unsure.join(',')) : new Set();
      for (const uid of pending)
        if (confirmed.has(uid) || (before?.has(uid) && !after.has(uid))) moved.add(uid);
      pending = pending.filter((uid) => after.has(uid));
    }
    return { moved, left: new Set(pending) };
  }

  /**
   * For a server without MOVE: COPY, then \Deleted and (UIDPLUS) UID EXPUNGE of only the
   * UIDs known to be copied — COPYUID says which; without UIDPLUS one UID per COPY, so a
   * mail that vanished meanwhile cannot make another one look copied. A mail of ours
   * already flagged \Deleted was copied before a crash if the folder holds its Message-ID
   * (we flag only after a COPY); else it is copied now.
   */
  async function copyAndDelete(
    client: ImapFlow,
    folder: string,
    group: ActionItem[],
    uidplus: boolean,
  ): Promise<{ moved: Set<string>; left: Set<string> }> {
    // Like UID MOVE, a COPY answered EXPUNGEISSUED copied nothing: one more round for those.
    const first = await copyRound(client, folder, group, uidplus);
    if (first.left.size === 0) return first;
    const again = group.filter(({ message }) => first.left.has(message.locator.uid));
    const second = await copyRound(client, folder, again, uidplus);
    return { moved: new Set([...first.moved, ...second.moved]), left: second.left };
  }

  async function copyRound(
    client: ImapFlow,
    folder: string,
    group: ActionItem[],
    uidplus: boolean,
  ): Promise<{ moved: Set<string>; left: Set<string> }> {
    const set = group.map(({ message }) => message.locator.uid).join(',');
    const present = await uidsIn(client, set);
    const flagged = await uidsIn(client, set, true);
    const copied = new Set<string>();
    if (flagged.size > 0) {
      const idOf = new Map(
        group
          .filter(({ message }) => flagged.has(message.locator.uid))
          .map(({ message }) => [message.locator.uid, messageIdOf(message)] as const),
      );
      const ids = [...idOf.values()].filter((id) => id !== null);
      const found = await session.findByMessageId(folder, ids);
      for (const [uid, id] of idOf) if (id !== null && found.has(id)) copied.add(uid);
    }
    const toCopy = [...present].filter((uid) => !copied.has(uid));
    if (uidplus && toCopy.length > 0) {
      const result = await client.messageCopy(toCopy.join(','), folder, { uid: true });
      if (!result) throw new Error('UID COPY was refused');
      for (const uid of result.uidMap?.keys() ?? []) copied.add(String(uid));
    } else {
      for (const uid of toCopy) {
        if (!(await client.messageCopy(uid, folder, { uid: true })))
          throw new Error('UID COPY was refused');
        copied.add(uid);
      }
    }
    // Only what is still here after its COPY is flagged; what vanished meanwhile is looked for.
    const still = await uidsIn(client, set);
    const moved = new Set([...copied].filter((uid) => still.has(uid)));
    if (moved.size > 0) {
      const movedSet = [...moved].join(',');
      await client.messageFlagsAdd(movedSet, ['\\Deleted'], { uid: true });
      if (uidplus) await client.messageDelete(movedSet, { uid: true });
      else
        log.info(
          { event: 'imap-no-uidplus', messages: moved.size },
          'server lacks UIDPLUS: mail flagged \\Deleted, not expunged',
        );
    }
    return { moved, left: new Set([...still].filter((uid) => !moved.has(uid))) };
  }

  const handler: ActionHandler = async (action, message) => {
    const [outcome] = await many([{ action, message }]);
    if (outcome !== null && outcome !== undefined) throw outcome;
  };
  handler.many = many;
  return handler;
}

/** The UIDs of `set` now in the selected mailbox (only those flagged \Deleted, with `deleted`). */
async function uidsIn(client: ImapFlow, set: string, deleted = false): Promise<Set<string>> {
  const found = await client.search(deleted ? { uid: set, deleted: true } : { uid: set }, {
    uid: true,
  });
  if (found === false) throw new Error('UID SEARCH failed');
  return new Set((found ?? []).map(String));
}
