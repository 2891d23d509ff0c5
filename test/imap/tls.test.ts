import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { createRuntime } from '../../src/daemon/main.js';
import { silentLogger } from '../../src/log/logger.js';
import { sickPayComplaint } from '../foundation/mails.js';
import { configIn, tempDir } from '../helpers.js';
import { Dovecot, PASSWORD } from './dovecot.js';

describe('TLS to the IMAP server fails closed', () => {
  const dovecot = new Dovecot({ tls: true });
  beforeAll(async () => {
    await dovecot.start();
    await dovecot.deliver([sickPayComplaint]);
  });
  afterAll(() => dovecot.destroy());

  it.each([
    ['imaps://', () => `imaps://robot@127.0.0.1:${dovecot.imapsPort}`],
    ['imap+starttls://', () => `imap+starttls://robot@127.0.0.1:${dovecot.imapPort}`],
  ])(
    '%s to a server with a certificate we cannot verify: no login, no plaintext fallback, mail untouched',
    async (_scheme, url) => {
      const { dir, cleanup } = tempDir();
      try {
        const file = configIn(dir, {
          imap: '\n  reconnectBaseSeconds: 0.1\n  reconnectMaxSeconds: 0.2',
          metrics: '\n  enabled: false',
        });
        const config = loadConfig(file, {
          POSTROBOT_IMAP_URL: url(),
          POSTROBOT_IMAP_PASSWORD: PASSWORD,
        });
        const runtime = createRuntime(config, silentLogger());
        try {
          await expect(runtime.daemon.pass()).rejects.toThrow(/certificate/i);
          expect(runtime.journal.listMessages({})).toHaveLength(0);
          expect(dovecot.count('INBOX')).toBe(1);
        } finally {
          await runtime.close();
        }
      } finally {
        cleanup();
      }
    },
  );
});
