/**
 * The IMAP benchmark's mail delivery, run as a child process (in production the MTA is
 * another process): it shares neither the event loop nor the CPU count of the router
 * being measured. Says `{ ready: true }`, takes one job message, sends `{ index, at }` as each mail is
 * accepted, then `{ done: true }`, and exits.
 */
import { deliverOverLmtp } from '../test/imap/dovecot.js';

export interface DeliveryJob {
  lmtpPort: number;
  raws: string[];
  connections: number;
  perSecond?: number;
}

function send(message: object): Promise<void> {
  return new Promise((resolve) => process.send!(message, () => resolve()));
}

process.once('message', (job: DeliveryJob) => {
  void (async () => {
    const raws = job.raws.map((raw) => Buffer.from(raw, 'latin1'));
    await deliverOverLmtp(job.lmtpPort, raws, {
      connections: job.connections,
      ...(job.perSecond ? { perSecond: job.perSecond } : {}),
      onDelivered: (index) => process.send!({ index, at: Date.now() }),
    });
    await send({ done: true });
    process.disconnect();
  })();
});
process.send!({ ready: true });
