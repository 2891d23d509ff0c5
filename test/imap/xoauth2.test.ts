import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { createRuntime } from '../../src/daemon/main.js';
import { silentLogger } from '../../src/log/logger.js';
import { sickPayComplaint } from '../foundation/mails.js';
import { configIn, tempDir } from '../helpers.js';
import { Dovecot, freePort } from './dovecot.js';

describe('XOAUTH2 login with a token read at every login', () => {
  let server: Server;
  let dovecot: Dovecot;
  const valid = new Set<string>();
  const seen: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    // The authority's identity provider, as Dovecot's oauth2 passdb asks it.
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const token =
          new URLSearchParams(body).get('token') ??
          (request.headers.authorization ?? '').replace(/^Bearer /, '');
        seen.push(token);
        response.setHeader('content-type', 'application/json');
        response.end(
          JSON.stringify(
            valid.has(token) ? { active: 'true', username: 'robot' } : { active: 'false' },
          ),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    dovecot = new Dovecot({ oauth2IntrospectionUrl: `http://127.0.0.1:${port}/introspect` });
    await dovecot.start();
    await dovecot.deliver([sickPayComplaint]);
  });
  afterAll(async () => {
    await dovecot.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('logs in with the token from the file, and with a refreshed one after the old is revoked', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const tokenFile = join(dir, 'token');
      writeFileSync(tokenFile, 'token-one\n', { mode: 0o600 });
      valid.add('token-one');
      const file = configIn(dir, {
        imap: `\n  auth: xoauth2\n  tokenFile: ${tokenFile}\n  reconnectBaseSeconds: 0.1\n  reconnectMaxSeconds: 0.2`,
        metrics: '\n  enabled: false',
      });
      const config = loadConfig(file, {
        POSTROBOT_IMAP_URL: `imap://robot@127.0.0.1:${dovecot.imapPort}`,
      });
      const runtime = createRuntime(config, silentLogger());
      try {
        await runtime.daemon.pass();
        expect(dovecot.count('Beskæftigelse')).toBe(1);
        expect(seen).toEqual(['token-one']);
        // The token is revoked and replaced by the refresher; the next login reads the new one.
        valid.delete('token-one');
        valid.add('token-two');
        writeFileSync(tokenFile, 'token-two\n');
        dovecot.doveadm('kick', 'robot');
        await dovecot.deliver([sickPayComplaint.replace('sick-1@', 'sick-2@')]);
        await new Promise((r) => setTimeout(r, 300));
        await runtime.daemon.pass().catch(() => undefined);
        await runtime.daemon.pass();
        expect(dovecot.count('Beskæftigelse')).toBe(2);
        expect(seen).toContain('token-two');
      } finally {
        await runtime.close();
      }
    } finally {
      cleanup();
    }
  });
});
