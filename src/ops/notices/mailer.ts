import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { EndpointConfig } from '../../config/load.js';
import { ActionError } from '../../errors.js';

export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
  /** Deterministic, so that a resend after a crash is recognisable as the same mail. */
  messageId: string;
  attachments?: { filename: string; path: string; contentType: string }[];
}

export interface Mailer {
  readonly from: string;
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** nodemailer options from the smtp URL: smtps:// is TLS, smtp+starttls:// requires STARTTLS, smtp:// is plain. */
export function transportOptions(
  endpoint: EndpointConfig,
  timeoutSeconds = 60,
): SMTPTransport.Options {
  const { url } = endpoint;
  const tls = url.protocol === 'smtps:';
  const starttls = url.protocol === 'smtp+starttls:';
  const user = decodeURIComponent(url.username);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : tls ? 465 : starttls ? 587 : 25,
    secure: tls,
    requireTLS: starttls,
    ignoreTLS: !tls && !starttls,
    ...(user ? { auth: { user, pass: endpoint.password ?? '' } } : {}),
    connectionTimeout: timeoutSeconds * 1000,
    greetingTimeout: timeoutSeconds * 1000,
    socketTimeout: timeoutSeconds * 1000,
  };
}

/** A relay answer of 5xx will not change on a retry; anything else (network, 4xx) may. */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500;
}

export function createMailer(endpoint: EndpointConfig, from: string, timeoutSeconds = 60): Mailer {
  const transport: Transporter = nodemailer.createTransport(
    transportOptions(endpoint, timeoutSeconds),
  );
  return {
    from,
    async send(mail) {
      try {
        await transport.sendMail({
          from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          messageId: mail.messageId,
          headers: { 'Auto-Submitted': 'auto-generated', 'X-Postrobot-Notice': 'yes' },
          attachments: mail.attachments ?? [],
        });
      } catch (error) {
        throw new ActionError(
          isPermanent(error) ? 'NoticeRefused' : 'NoticeFailed',
          `the SMTP relay did not take the notice: ${(error as Error).message}`,
          !isPermanent(error),
          error,
        );
      }
    },
    close: () => transport.close(),
  };
}

/** A Message-ID in the sender's domain. */
export function messageIdFor(from: string, local: string): string {
  const domain = from.split('@')[1] ?? 'postrobot.invalid';
  return `<${local.replace(/[^A-Za-z0-9.-]/g, '.')}@${domain}>`;
}
