import type { Logger } from 'pino';
import { describeError } from '../../errors.js';
import type { ImapSession } from '../imap/session.js';
import { ImapConnectionError } from '../imap/session.js';
import type { MailSource, SourceItem } from '../ports.js';

/** How long one listing may take before the connection is taken for dead. */
const LIST_TIMEOUT_MS = 60_000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ImapConnectionError(`${what} took more than ${ms} ms`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The IMAP inbox as a source. Mail is listed by UID (mail flagged \Deleted by a server
 * without MOVE is left out); its bytes are fetched only when the ledger does not know it.
 */
export class ImapSource implements MailSource {
  readonly description: string;

  constructor(
    private readonly session: ImapSession,
    private readonly log: Logger,
  ) {
    this.description = `imap ${session.account} ${session.mailbox}`;
  }

  async list(): Promise<SourceItem[]> {
    try {
      const client = await this.session.connected();
      const uidValidity = this.session.uidValidity ?? 0;
      // NOOP first: the server reports mail delivered since the last command only then.
      await withTimeout(client.noop(), LIST_TIMEOUT_MS, 'NOOP');
      const found = await withTimeout(
        client.search({ deleted: false }, { uid: true }),
        LIST_TIMEOUT_MS,
        'UID SEARCH',
      );
      if (found === false) throw new ImapConnectionError('UID SEARCH failed');
      this.session.touch();
      const uids = [...(found ?? [])].sort((a, b) => a - b);
      return uids.map((uid) => ({
        locator: {
          account: this.session.account,
          mailbox: this.session.mailbox,
          uidValidity,
          uid: String(uid),
        },
        read: async () => {
          const current = await this.session.connected();
          if (this.session.uidValidity !== uidValidity)
            throw new ImapConnectionError('UIDVALIDITY changed while reading; listing again');
          const message = await current.fetchOne(String(uid), { source: true }, { uid: true });
          if (!message || !message.source)
            throw new ImapConnectionError(`UID ${uid} is gone from ${this.session.mailbox}`);
          return message.source;
        },
      }));
    } catch (error) {
      if (!(error instanceof ImapConnectionError)) this.session.drop();
      this.log.warn(
        { event: 'imap-list-failed', err: describeError(error) },
        'cannot list the inbox; reconnecting',
      );
      throw error;
    }
  }

  /** One UID FETCH for the bytes of all the items (a chunk of the listing). */
  async readMany(items: SourceItem[]): Promise<Map<SourceItem, Buffer>> {
    const read = new Map<SourceItem, Buffer>();
    if (items.length === 0) return read;
    const uidValidity = items[0]!.locator.uidValidity;
    const byUid = new Map(items.map((item) => [item.locator.uid, item]));
    try {
      const client = await this.session.connected();
      if (this.session.uidValidity !== uidValidity)
        throw new ImapConnectionError('UIDVALIDITY changed while reading; listing again');
      const rows = await withTimeout(
        client.fetchAll([...byUid.keys()].join(','), { uid: true, source: true }, { uid: true }),
        LIST_TIMEOUT_MS,
        'UID FETCH',
      );
      for (const row of rows) {
        const item = byUid.get(String(row.uid));
        if (item && row.source) read.set(item, row.source);
      }
      this.session.touch();
      return read;
    } catch (error) {
      this.session.drop();
      this.log.warn(
        { event: 'imap-fetch-failed', mails: items.length, err: describeError(error) },
        'cannot fetch mail; reconnecting',
      );
      throw error;
    }
  }

  waitForChange(timeoutMs: number, signal: AbortSignal): Promise<void> {
    return this.session.waitForChange(timeoutMs, signal);
  }

  close(): Promise<void> {
    return this.session.close();
  }
}
