import { createHash } from 'node:crypto';

/**
 * Header fields that the delivery path adds (each MTA, LMTP or a restore writes its own),
 * so that the same mail delivered twice differs only in them.
 */
const TRACE_FIELDS =
  /^(return-path|delivered-to|received|x-original-to|x-envelope-(from|to)|x-delivered-to|arc-[a-z-]+|authentication-results|received-spf|x-spam[a-z-]*|x-virus[a-z-]*|x-ms-exchange-organization-[a-z-]+|x-ms-exchange-crosstenant-[a-z-]+)\s*:/i;

/**
 * The identity of a mail's content: sha256 of its bytes without the trace header fields.
 * The same mail seen again (a second delivery, a restored mailbox, a UIDVALIDITY reset)
 * gets the same key even when the delivery headers differ, so it is never acted on twice.
 */
export function contentKey(raw: Buffer): string {
  const text = raw.toString('latin1');
  const match = /\r?\n\r?\n/.exec(text);
  const headerEnd = match ? match.index : text.length;
  const lines = text.slice(0, headerEnd).split(/\r?\n/);
  const kept: string[] = [];
  let dropping = false;
  for (const line of lines) {
    if (/^[ \t]/.test(line)) {
      if (!dropping) kept.push(line);
      continue;
    }
    dropping = TRACE_FIELDS.test(line) || /^From /.test(line);
    if (!dropping) kept.push(line);
  }
  return createHash('sha256')
    .update(kept.join('\n'), 'latin1')
    .update(text.slice(headerEnd).replace(/\r\n/g, '\n'), 'latin1')
    .digest('hex');
}
