import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released for the server to take). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs = 15_000): Promise<void> {
  const { connect } = await import('node:net');
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`port ${port} did not open`);
}

export const USER = 'robot';

/**
 * Delivers mails to the robot's INBOX over a few kept-open LMTP connections, as an MTA
 * would. With `perSecond` the i-th mail is sent no earlier than i / perSecond seconds
 * after the start (a steady stream); without it, as fast as the server takes them.
 */
export async function deliverOverLmtp(
  lmtpPort: number,
  raws: (string | Buffer)[],
  options: { connections: number; onDelivered: (index: number) => void; perSecond?: number },
): Promise<void> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: lmtpPort,
    lmtp: true,
    ignoreTLS: true,
    pool: true,
    maxConnections: options.connections,
    maxMessages: Infinity,
    logger: false,
  } as never);
  const started = Date.now();
  try {
    let next = 0;
    const lanes = Array.from({ length: options.connections }, async () => {
      while (next < raws.length) {
        const index = next++;
        if (options.perSecond) {
          const due = started + (index * 1000) / options.perSecond;
          if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        }
        await transport.sendMail({
          envelope: { from: 'sender@example.dk', to: [USER] },
          raw: raws[index]!,
        });
        options.onDelivered(index);
      }
    });
    await Promise.all(lanes);
  } finally {
    transport.close();
  }
}
export const PASSWORD = 'secret';

/**
 * A private Debian Dovecot on 127.0.0.1, everything under one temp folder: its own
 * config, users and Maildirs. Each test file starts its own and stops it afterwards.
 */
export class Dovecot {
  readonly dir: string;
  readonly conf: string;
  imapPort = 0;
  imapsPort = 0;
  lmtpPort = 0;
  private process: ChildProcess | null = null;

  /** With `tls`, Dovecot offers imaps and STARTTLS with a self-signed certificate. */
  /** `capability` replaces what Dovecot announces after login (e.g. a server without MOVE). */
  constructor(
    private readonly options: {
      tls?: boolean;
      capability?: string;
      oauth2IntrospectionUrl?: string;
    } = {},
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'postrobot-dovecot-'));
    // Dovecot's auth process runs as "dovecot" and needs to pass through the folder.
    chmodSync(this.dir, 0o755);
    this.conf = join(this.dir, 'dovecot.conf');
  }

  get imapUrl(): string {
    return `imap://${USER}@127.0.0.1:${this.imapPort}`;
  }

  private writeConfig(): void {
    const d = this.dir;
    for (const sub of ['run', 'state', 'mail']) mkdirSync(join(d, sub), { recursive: true });
    chmodSync(join(d, 'mail'), 0o777);
    let ssl = 'ssl = no';
    if (this.options.tls) {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '2',
          '-subj',
          '/CN=127.0.0.1',
          '-keyout',
          join(d, 'key.pem'),
          '-out',
          join(d, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      ssl = `ssl = yes\nssl_cert = <${d}/cert.pem\nssl_key = <${d}/key.pem`;
    }
    writeFileSync(join(d, 'users'), `${USER}:{PLAIN}${PASSWORD}::::::\n`);
    writeFileSync(
      this.conf,
      `instance_name = postrobot-test-${this.imapPort}
base_dir = ${d}/run
state_dir = ${d}/state
log_path = ${d}/dovecot.log
protocols = imap lmtp
${this.options.capability ? `imap_capability = ${this.options.capability}` : ''}
listen = 127.0.0.1
${ssl}
disable_plaintext_auth = no
auth_mechanisms = plain login${this.options.oauth2IntrospectionUrl ? ' xoauth2 oauthbearer' : ''}
${this.oauthPassdb()}passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${d}/users
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=${d}/mail/%d/%n
}
mail_location = maildir:~/Maildir
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${this.imapPort}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${this.imapsPort}
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${this.lmtpPort}
  }
}
`,
    );
  }

  /** An OAuth2 passdb that asks the test's token introspection endpoint. */
  private oauthPassdb(): string {
    const url = this.options.oauth2IntrospectionUrl;
    if (!url) return '';
    const file = join(this.dir, 'oauth2.conf.ext');
    writeFileSync(
      file,
      `introspection_mode = post\nintrospection_url = ${url}\nusername_attribute = username\nactive_attribute = active\nactive_value = true\n`,
    );
    return `passdb {\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = ${file}\n}\n`;
  }

  /**
   * Starts Dovecot and waits for its ports. On the first start the ports are picked free,
   * but another test may take one before Dovecot binds it: then Dovecot exits, and it is
   * started again on new ports (up to three times). A restart keeps its ports.
   */
  async start(): Promise<void> {
    const fresh = !this.imapPort;
    for (let attempt = 1; ; attempt += 1) {
      if (fresh) {
        this.imapPort = await freePort();
        this.lmtpPort = await freePort();
        if (this.options.tls) this.imapsPort = await freePort();
        this.writeConfig();
      }
      try {
        await this.spawnAndWait();
        return;
      } catch (error) {
        await this.stop();
        if (!fresh || attempt >= 3) throw error;
      }
    }
  }

  private async spawnAndWait(): Promise<void> {
    const child = spawn('dovecot', ['-F', '-c', this.conf], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.process = child;
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + String(chunk)).slice(-2000)));
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) =>
        reject(new Error(`dovecot exited (${code}) before its ports opened: ${stderr.trim()}`)),
      ),
    );
    exited.catch(() => undefined);
    await Promise.race([
      (async () => {
        await waitForPort(this.imapPort, 30_000);
        await waitForPort(this.lmtpPort, 30_000);
      })(),
      exited,
    ]);
  }

  async stop(): Promise<void> {
    const child = this.process;
    this.process = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      execFileSync('doveadm', ['-c', this.conf, 'stop'], { stdio: 'ignore' });
    } catch {
      child.kill('SIGTERM');
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  doveadm(...args: string[]): string {
    return execFileSync('doveadm', ['-c', this.conf, ...args], { encoding: 'utf8' });
  }

  /** Delivers mails to the robot's INBOX over LMTP, as the MTA would. */
  async deliver(raws: (string | Buffer)[]): Promise<void> {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: this.lmtpPort,
      lmtp: true,
      ignoreTLS: true,
      pool: false,
      logger: false,
    } as never);
    try {
      for (const raw of raws) {
        await transport.sendMail({ envelope: { from: 'sender@example.dk', to: [USER] }, raw });
      }
    } finally {
      transport.close();
    }
  }

  /**
   * Delivers many mails over a few kept-open LMTP connections, calling `onDelivered` as
   * each is accepted (the benchmark's clock starts there).
   */
  deliverMany(
    raws: (string | Buffer)[],
    connections: number,
    onDelivered: (index: number) => void,
  ): Promise<void> {
    return deliverOverLmtp(this.lmtpPort, raws, { connections, onDelivered });
  }

  /** Message-IDs (or first subject line) of every mail in a folder, via doveadm. */
  messageIds(folder: string): string[] {
    const out = this.doveadm('fetch', '-u', USER, 'hdr.message-id', 'mailbox', folder);
    return out
      .split('\n')
      .filter((line) => /^hdr\.message-id:/i.test(line))
      .map((line) => line.replace(/^hdr\.message-id:\s*/i, '').trim());
  }

  count(folder: string): number {
    try {
      const out = this.doveadm('mailbox', 'status', '-u', USER, 'messages', folder);
      return Number(/messages=(\d+)/.exec(out)?.[1] ?? '0');
    } catch {
      return 0;
    }
  }

  folders(): string[] {
    return this.doveadm('mailbox', 'list', '-u', USER)
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  }
}
