import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { countCprNumbers, scrubCpr } from '../../src/log/cpr.js';
import { createLogger } from '../../src/log/logger.js';

describe('the CPR scrubber', () => {
  it.each(['120384-1234', '1203841234', '120384 1234', '010100-4321'])('removes %s', (cpr) => {
    expect(scrubCpr(`CPR ${cpr} i teksten`)).toBe('CPR [CPR] i teksten');
  });

  it('needs no modulus-11 check (numbers without it are issued since 2007)', () => {
    expect(countCprNumbers('311299-9999')).toBe(1);
  });

  it('leaves case numbers, phone numbers and impossible dates alone', () => {
    const text = 'Sagsnr. 24-123456, tlf. 33 41 12 00, 991399-1234';
    expect(scrubCpr(text)).toBe(text);
  });

  it('scrubs CPR numbers from the message, every field and errors of a log line', () => {
    const lines: string[] = [];
    const stream = new Writable({
      write: (chunk, _encoding, done) => {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger({ level: 'info', pretty: false, stream });
    log.info({ note: 'CPR 120384-1234', nested: { list: ['1203841234'] } }, 'mail fra 010100-1234');
    log.error({ err: new Error('kunne ikke læse 120384 1234') }, 'fejl');
    const output = lines.join('');
    expect(lines).toHaveLength(2);
    expect(output).not.toMatch(/\d{6}[- ]?\d{4}/);
    expect(output.match(/\[CPR\]/g)).toHaveLength(4);
  });
});
