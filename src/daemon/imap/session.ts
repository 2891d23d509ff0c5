import { ImapFlow } from 'imapflow';
import type { Logger } from 'pino';
import type { Config, EndpointConfig } from '../../config/load.js';
import { describeError, PostrobotError } from '../../errors.js';
import { reconnectDelayMs } from '../backoff.js';
import { imapClientOptions } from './client-options.js';

/** The connection to the IMAP server could not be made or was lost; worth trying again. */
export class ImapConnectionError extends PostrobotError {
  constructor(message: string, cause?: unknown) {
    super('ImapConnection', message, { retryable: true, cause });
  }
}

export interface SessionEvents {
  /** UIDVALIDITY differs from the last one seen (old UIDs now mean nothing). */
  onUidValidity?(previous: number | null, current: number): void;
  onContact?(at: Date): void;
}

/**
 * One IMAP account, with a new imapflow client per connection cycle (a client is
 * single-use). The mailbox stays selected so that IDLE reports new mail; a lost or dead
 * connection is replaced after a capped, jittered backoff.
 */
export class ImapSession {
  readonly account: string;
  uidValidity: number | null = null;
  private client: ImapFlow | null = null;
  private connecting: Promise<ImapFlow> | null = null;
  private failures = 0;
  private nextAttemptAt = 0;
  private closed = false;
  /** New mail was announced since the last wait began. */
  private changed = false;
  private readonly waiters = new Set<() => void>();
  private readonly folders = new Set<string>();

  constructor(
    private readonly config: Config,
    private readonly endpoint: EndpointConfig,
    private readonly log: Logger,
    private readonly events: SessionEvents = {},
  ) {
    this.account = `${endpoint.user}@${endpoint.host}:${endpoint.port}`;
  }

  get mailbox(): string {
    return this.config.main.imap.mailbox;
  }

  get capabilities(): Set<string> {
    return new Set(
      this.client ? [...this.client.capabilities.keys()].map((c) => c.toUpperCase()) : [],
    );
  }

  /** A connected client with the mailbox selected; connects (respecting the backoff) when needed. */
  async connected(): Promise<ImapFlow> {
    if (this.closed) throw new ImapConnectionError('the IMAP session is closed');
    if (this.client?.usable) return this.client;
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  /** Milliseconds until the next connection attempt is allowed. */
  backoffRemaining(): number {
    return Math.max(0, this.nextAttemptAt - Date.now());
  }

  private async connect(): Promise<ImapFlow> {
    const wait = this.backoffRemaining();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    this.drop();
    const options = await imapClientOptions(this.config, this.endpoint, this.log);
    const client = new ImapFlow(options);
    // Without an error listener a server-side failure crashes the process (FACTS.md).
    client.on('error', (error: unknown) => {
      this.log.warn({ event: 'imap-error', err: describeError(error) }, 'IMAP connection error');
      if (this.client === client) this.drop();
    });
    client.on('close', () => {
      if (this.client === client) {
        this.log.info({ event: 'imap-closed' }, 'IMAP connection closed');
        this.client = null;
        this.wakeAll();
      }
    });
    client.on('exists', () => {
      this.changed = true;
      this.wakeAll();
    });
    try {
      await client.connect();
      const mailbox = await client.mailboxOpen(this.mailbox);
      const uidValidity = Number(mailbox.uidValidity);
      if (this.uidValidity !== uidValidity) {
        const previous = this.uidValidity;
        this.uidValidity = uidValidity;
        this.events.onUidValidity?.(previous, uidValidity);
      }
      this.client = client;
      this.failures = 0;
      this.nextAttemptAt = 0;
      this.folders.clear();
      this.touch();
      this.log.info(
        {
          event: 'imap-connected',
          account: this.account,
          mailbox: this.mailbox,
          uidValidity,
          capabilities: [...this.capabilities].filter((c) =>
            ['IDLE', 'MOVE', 'UIDPLUS'].includes(c),
          ),
        },
        'IMAP connected',
      );
      return client;
    } catch (error) {
      client.close();
      this.failures += 1;
      const { reconnectBaseSeconds, reconnectMaxSeconds } = this.config.main.imap;
      const delay = reconnectDelayMs(
        this.failures - 1,
        reconnectBaseSeconds * 1000,
        reconnectMaxSeconds * 1000,
        Math.random(),
      );
      this.nextAttemptAt = Date.now() + delay;
      this.log.warn(
        {
          event: 'imap-connect-failed',
          attempt: this.failures,
          retryInMs: delay,
          err: describeError(error),
        },
        'cannot connect to IMAP',
      );
      throw new ImapConnectionError(
        `cannot connect to ${this.account}: ${describeError(error)}`,
        error,
      );
    }
  }

  /** Records a successful exchange with the server. */
  touch(): void {
    this.events.onContact?.(new Date());
  }

  /** Forgets the client after a failure; the next call connects anew. */
  drop(): void {
    const client = this.client;
    this.client = null;
    if (client) {
      try {
        client.close();
      } catch {
        // Already closed.
      }
    }
    this.wakeAll();
  }

  /** Creates a folder once per connection when it is missing. */
  async ensureFolder(client: ImapFlow, folder: string): Promise<void> {
    if (this.folders.has(folder)) return;
    const existing = await client.list();
    if (!existing.some((box) => box.path === folder || box.name === folder)) {
      await client.mailboxCreate(folder);
      this.log.info({ event: 'imap-folder-created', folder }, 'folder created');
    }
    this.folders.add(folder);
  }

  /**
   * The Message-IDs among `messageIds` that a mail in `folder` carries. Looked up over a
   * short-lived second connection, so that the inbox stays selected (and idle) on this
   * one. Used only to confirm a move an earlier run made before it crashed.
   */
  async findByMessageId(folder: string, messageIds: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    if (messageIds.length === 0) return found;
    const client = new ImapFlow(await imapClientOptions(this.config, this.endpoint, this.log));
    client.on('error', (error: unknown) =>
      this.log.warn({ event: 'imap-error', err: describeError(error) }, 'IMAP connection error'),
    );
    try {
      await client.connect();
      await client.mailboxOpen(folder, { readOnly: true });
      for (const id of messageIds) {
        const hits = await client.search({ header: { 'message-id': id } }, { uid: true });
        if (hits && hits.length > 0) found.add(id);
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
    return found;
  }

  /** Resolves on new mail (IDLE/NOOP "exists"), a lost connection, the timeout or the abort. */
  waitForChange(timeoutMs: number, signal: AbortSignal): Promise<void> {
    const wait = Math.max(timeoutMs, this.client?.usable ? 0 : this.backoffRemaining());
    if (this.changed) {
      this.changed = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.waiters.delete(done);
        this.changed = false;
        resolve();
      };
      const timer = setTimeout(done, wait);
      signal.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    this.wakeAll();
    if (client?.usable) {
      await Promise.race([
        client.logout().catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, 5000)),
      ]);
    }
    client?.close();
  }
}
