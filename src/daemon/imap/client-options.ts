import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { ImapFlowOptions } from 'imapflow';
import type { Logger } from 'pino';
import type { Config, EndpointConfig } from '../../config/load.js';
import { PostrobotError } from '../../errors.js';

const run = promisify(execFile);

/** The access token for XOAUTH2, read fresh at every login so that a refreshed token is used. */
async function accessToken(config: Config): Promise<string> {
  const { tokenFile, tokenCommand } = config.main.imap;
  if (tokenFile) return (await readFile(tokenFile, 'utf8')).trim();
  if (tokenCommand) {
    const { stdout } = await run('/bin/sh', ['-c', tokenCommand], { timeout: 30_000 });
    return stdout.trim();
  }
  throw new PostrobotError(
    'ImapAuthMissing',
    'imap.auth is xoauth2 but neither imap.tokenFile nor imap.tokenCommand is set',
  );
}

/** imapflow logs through ours, at debug, and never raw traffic (which would carry mail). */
function imapLogger(log: Logger): ImapFlowOptions['logger'] {
  const pass = (level: 'debug' | 'info' | 'warn' | 'error') => (entry: Record<string, unknown>) => {
    const { msg, err, cid } = entry as { msg?: string; err?: unknown; cid?: string };
    const target = level === 'error' || level === 'warn' ? 'warn' : 'debug';
    log[target](
      { event: 'imap-client', cid, err: err instanceof Error ? err.message : undefined },
      String(msg ?? ''),
    );
  };
  return { debug: () => undefined, info: pass('info'), warn: pass('warn'), error: pass('error') };
}

/** The options of one imapflow client: TLS verified (fail closed), limits below imapflow's 1 GB default. */
export async function imapClientOptions(
  config: Config,
  endpoint: EndpointConfig,
  log: Logger,
): Promise<ImapFlowOptions> {
  const imap = config.main.imap;
  const auth =
    imap.auth === 'xoauth2'
      ? { user: endpoint.user, accessToken: await accessToken(config) }
      : { user: endpoint.user, pass: endpoint.password ?? '' };
  const options: ImapFlowOptions & { doSTARTTLS?: boolean } = {
    host: endpoint.host,
    port: endpoint.port,
    secure: endpoint.security === 'tls',
    auth,
    logger: imapLogger(log),
    logRaw: false,
    emitLogs: false,
    tls: { rejectUnauthorized: true, minVersion: 'TLSv1.2', servername: endpoint.host },
    socketTimeout: imap.socketTimeoutSeconds * 1000,
    connectionTimeout: 30_000,
    greetingTimeout: 16_000,
    maxIdleTime: imap.maxIdleSeconds * 1000,
    autoIdleDelay: 200,
    missingIdleCommand: 'NOOP',
    maxLiteralSize: config.main.limits.maxMessageBytes + 1024 * 1024,
    disableAutoEnable: false,
    qresync: false,
    clientInfo: { name: 'postrobot', version: '0.1.0' },
  };
  if (endpoint.security === 'starttls') options.doSTARTTLS = true;
  if (endpoint.security === 'plain') options.doSTARTTLS = false;
  return options;
}
