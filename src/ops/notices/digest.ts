import type { Logger } from 'pino';
import type { RoutingConfig } from '../../config/schema.js';
import { describeError } from '../../errors.js';
import type { Journal } from '../../journal/journal.js';
import type { DocumentRecord } from '../../journal/records.js';
import { composeDigest } from './compose.js';
import { messageIdFor, type Mailer } from './mailer.js';
import { allowedRecipient } from './recipients.js';

export const DIGEST_CURSOR = 'digest';
const DIGEST_DAY_CURSOR = 'digest-day';

/** The local calendar day as a number (20251124), for "sent today" and Message-IDs. */
function localDay(now: Date): number {
  return now.getFullYear() * 10_000 + (now.getMonth() + 1) * 100 + now.getDate();
}

/** Whether the digest is due: past the hour, and not yet sent today. Pure. */
export function digestDue(now: Date, hour: number | null, lastDay: number): boolean {
  return hour !== null && now.getHours() >= hour && localDay(now) > lastDay;
}

/**
 * Sends each area that has addresses its digest of new post without a case since the
 * last digest. A failure leaves the cursor where it was, so the next tick tries again.
 */
export async function sendDueDigests(
  journal: Journal,
  routing: RoutingConfig,
  mailer: Mailer | null,
  options: { hour: number | null; now: Date; send: boolean },
  log: Logger,
): Promise<number> {
  const { now } = options;
  if (!digestDue(now, options.hour, journal.cursor(DIGEST_DAY_CURSOR))) return 0;
  const documents = journal.documentsAfter(journal.cursor(DIGEST_CURSOR), 100_000);
  const through = documents[documents.length - 1]?.id ?? journal.cursor(DIGEST_CURSOR);
  const byArea = new Map<string, DocumentRecord[]>();
  // Only post routed to the area is the team's; a guess on manual post is not.
  const routed = (doc: DocumentRecord): boolean =>
    journal.getMessage(doc.messageId)?.decision === 'route';
  for (const doc of documents)
    if (doc.caseNumber === null && doc.area && routed(doc))
      byArea.set(doc.area, [...(byArea.get(doc.area) ?? []), doc]);
  const day = localDay(now);
  let sent = 0;
  if (options.send && mailer) {
    for (const area of routing.areas) {
      const docs = byArea.get(area.id);
      const to = area.addresses.filter((address) =>
        allowedRecipient(address, routing.forwardAllowlist),
      );
      if (!docs || !docs.some((doc) => doc.kind === 'mail') || to.length === 0) continue;
      const composed = composeDigest({
        areaName: area.name,
        day: now.toLocaleDateString('da-DK'),
        documents: docs,
      });
      try {
        await mailer.send({
          to,
          ...composed,
          messageId: messageIdFor(mailer.from, `digest.${area.id}.${day}`),
        });
        sent += 1;
      } catch (error) {
        log.error(
          { event: 'digest-failed', area: area.id, err: describeError(error) },
          'area digest not sent',
        );
        return sent;
      }
    }
  }
  const at = now.toISOString();
  journal.setCursor(DIGEST_CURSOR, through, at);
  journal.setCursor(DIGEST_DAY_CURSOR, day, at);
  log.info(
    { event: 'digests-sent', areas: sent, documents: documents.length },
    'daily digest done',
  );
  return sent;
}
