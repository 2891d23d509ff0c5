import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Config, EndpointConfig } from '../../config/load.js';
import type { RoutingConfig } from '../../config/schema.js';
import { ActionError, describeError } from '../../errors.js';
import type { BlobStore } from '../../journal/blob-store.js';
import type { MessageRecord } from '../../journal/records.js';
import { OWN_MARKER_HEADER } from '../processor.js';
import type { ActionHandler } from '../ports.js';

/** An address may receive forwards only when it is in the config and ends with an allowlisted suffix. */
export function isAllowed(
  address: string,
  allowlist: readonly string[],
  configured: ReadonlySet<string>,
): boolean {
  const lower = address.toLowerCase();
  if (!/^[^\s@<>,;"]+@[^\s@<>,;"]+$/.test(lower)) return false;
  return configured.has(lower) && allowlist.some((suffix) => lower.endsWith(suffix.toLowerCase()));
}

/** The same mail to the same address always gets the same Message-ID, so a resent forward can be recognised. */
export function forwardMessageId(sha256: string, address: string, fromAddress: string): string {
  const domain = fromAddress.split('@')[1] ?? 'postrobot.invalid';
  const to = createHash('sha256').update(address.toLowerCase()).digest('hex').slice(0, 12);
  return `<postrobot.${sha256.slice(0, 32)}.${to}@${domain}>`;
}

/** Text from a mail, safe to put into a header of ours: no line breaks or control characters, bounded. */
export function headerSafe(text: string | null, max = 120): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const clean = (text ?? '').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

function coverText(message: MessageRecord, areaName: string): string {
  return [
    'Denne mail er modtaget i Ankestyrelsens hovedpostkasse og fordelt automatisk af postrobot.',
    '',
    `Område: ${areaName}`,
    `Sagsnummer: ${message.caseNumber ?? 'ikke fundet'}`,
    `Modtaget: ${message.receivedAt}`,
    `Sikkerhed: ${message.confidence === null ? '-' : message.confidence.toFixed(3)}`,
    '',
    'Den oprindelige mail er vedhæftet uændret. Er den fordelt forkert, så flyt den til',
    '"Manuel fordeling", så lærer postrobot af det.',
  ].join('\n');
}

function classifySmtpError(error: unknown): { code: string; retryable: boolean; reply: string } {
  const err = error as { responseCode?: number; response?: string; code?: string };
  const reply = headerSafe(err.response ?? describeError(error), 300);
  if (typeof err.responseCode === 'number' && err.responseCode >= 500)
    return { code: 'SmtpRejected', retryable: false, reply };
  return { code: err.responseCode ? 'SmtpDeferred' : 'SmtpConnection', retryable: true, reply };
}

/**
 * Forwards a routed mail to an area address: the original attached unchanged as
 * message/rfc822 under a short Danish cover text, with a deterministic Message-ID and
 * Auto-Submitted. Recipients come only from the config and are checked against the
 * allowlist in the final envelope.
 */
export function createSmtpForward(
  config: Config,
  endpoint: EndpointConfig,
  blobs: BlobStore,
  log: Logger,
  currentRouting: () => RoutingConfig = () => config.routing,
): ActionHandler {
  const transport = nodemailer.createTransport({
    host: endpoint.host,
    port: endpoint.port,
    secure: endpoint.security === 'tls',
    requireTLS: endpoint.security === 'starttls',
    ignoreTLS: endpoint.security === 'plain',
    tls: { rejectUnauthorized: true, minVersion: 'TLSv1.2' },
    ...(endpoint.user ? { auth: { user: endpoint.user, pass: endpoint.password ?? '' } } : {}),
    connectionTimeout: config.main.smtp.timeoutSeconds * 1000,
    greetingTimeout: config.main.smtp.timeoutSeconds * 1000,
    socketTimeout: config.main.smtp.timeoutSeconds * 1000,
    logger: false,
  });
  const from = config.main.smtp.from;
  return async (action, message) => {
    const routing = currentRouting();
    const configured = new Set(
      routing.areas.flatMap((area) => area.addresses.map((a) => a.toLowerCase())),
    );
    const address = action.target.toLowerCase();
    if (!isAllowed(address, routing.forwardAllowlist, configured)) {
      throw new ActionError(
        'ForwardNotAllowed',
        `forward to an address outside the config or the allowlist was refused`,
        false,
      );
    }
    const areaId = String(action.payload?.area ?? message.area ?? '');
    const areaName = routing.areas.find((area) => area.id === areaId)?.name ?? areaId;
    const subjectTail = headerSafe(message.subject);
    try {
      await transport.sendMail({
        from,
        to: address,
        envelope: { from, to: [address] },
        subject: `[postrobot] ${areaName}${message.caseNumber ? ` · sag ${message.caseNumber}` : ''}${subjectTail ? `: ${subjectTail}` : ''}`,
        messageId: forwardMessageId(message.sha256, address, from),
        headers: {
          'Auto-Submitted': 'auto-generated',
          [OWN_MARKER_HEADER]: message.sha256.slice(0, 32),
        },
        text: coverText(message, areaName),
        attachments: [
          {
            filename: 'oprindelig-mail.eml',
            content: blobs.read(message.sha256, 'eml'),
            contentType: 'message/rfc822',
          },
        ],
      });
    } catch (error) {
      const { code, retryable, reply } = classifySmtpError(error);
      log.warn({ event: 'smtp-failed', messageId: message.id, code, retryable }, 'forward failed');
      throw new ActionError(code, `forward to ${address} failed: ${reply}`, retryable, error);
    }
  };
}
