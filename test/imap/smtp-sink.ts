import { SMTPServer } from 'smtp-server';
import { freePort } from './dovecot.js';

export interface ReceivedForward {
  to: string[];
  messageId: string;
  raw: string;
}

export type SinkMode = 'accept' | 'defer' | 'reject' | 'drop-after-data';

/**
 * A local SMTP server that records what it receives, and can answer 4xx, 5xx, or cut the
 * connection after the DATA dot (the mail is then received, but the client never hears).
 */
export class SmtpSink {
  readonly received: ReceivedForward[] = [];
  mode: SinkMode = 'accept';
  port = 0;
  private server: SMTPServer | null = null;

  async start(): Promise<void> {
    this.port = await freePort();
    this.server = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          if (this.mode === 'defer')
            return callback(
              Object.assign(new Error('4.3.0 Try again later'), { responseCode: 451 }),
            );
          if (this.mode === 'reject')
            return callback(
              Object.assign(new Error('5.7.1 Relaying denied'), { responseCode: 550 }),
            );
          const messageId = /^message-id:\s*(.+)$/im.exec(raw)?.[1]?.trim() ?? '';
          this.received.push({ to: session.envelope.rcptTo.map((r) => r.address), messageId, raw });
          if (this.mode === 'drop-after-data') {
            // The mail is in, but the client never hears the 250: cut the connection.
            const connections = (
              this.server as unknown as {
                connections: Set<{ id: string; _socket: { destroy(): void } }>;
              }
            ).connections;
            for (const connection of connections)
              if (connection.id === session.id) connection._socket.destroy();
            return;
          }
          callback();
        });
      },
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
