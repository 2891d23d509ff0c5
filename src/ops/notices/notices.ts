import { existsSync, statSync } from 'node:fs';
import type { Logger } from 'pino';
import type { RoutingConfig } from '../../config/schema.js';
import type { ActionHandler } from '../../daemon/ports.js';
import { ActionError } from '../../errors.js';
import type { Journal } from '../../journal/journal.js';
import type { DocumentRecord, QueuedNotice } from '../../journal/records.js';
import { composeNotice } from './compose.js';
import { messageIdFor, type Mailer } from './mailer.js';
import { allowedRecipient } from './recipients.js';

export const NOTICE_CURSOR = 'notices';
const BATCH_LIMIT = 10_000;

export interface NoticeSettings {
  /** New documents wait this long so that a burst becomes one notice. */
  batchSeconds: number;
  /** false (shadow mode, no SMTP, notices off): the cursor moves on and nothing is queued. */
  send: boolean;
}

export function noticeKey(caseNumber: string, lastDocumentId: number): string {
  return `notify:${caseNumber}:${lastDocumentId}`;
}

/** Groups new documents by case and plans one notice per case with a caseworker who may be mailed. Pure. */
export function planNotices(
  documents: DocumentRecord[],
  caseworkerOf: (caseNumber: string) => string | null,
  allowlist: readonly string[],
): { notices: QueuedNotice[]; unassigned: string[] } {
  const byCase = new Map<string, DocumentRecord[]>();
  for (const doc of documents) {
    if (doc.caseNumber === null) continue;
    byCase.set(doc.caseNumber, [...(byCase.get(doc.caseNumber) ?? []), doc]);
  }
  const notices: QueuedNotice[] = [];
  const unassigned: string[] = [];
  for (const [caseNumber, docs] of byCase) {
    const worker = caseworkerOf(caseNumber);
    if (!allowedRecipient(worker, allowlist)) {
      unassigned.push(caseNumber);
      continue;
    }
    const last = docs[docs.length - 1]!;
    notices.push({
      messageId: last.messageId,
      caseNumber,
      action: {
        kind: 'notify',
        target: worker,
        payload: { caseNumber, documentIds: docs.map((doc) => doc.id) },
        idempotencyKey: noticeKey(caseNumber, last.id),
      },
    });
  }
  return { notices, unassigned };
}

/**
 * Queues the notices that are due: when the oldest new document has waited batchSeconds,
 * every new document so far goes into one notice per case. Returns how many were queued.
 */
export function queueDueNotices(
  journal: Journal,
  routing: RoutingConfig,
  settings: NoticeSettings,
  now: Date,
  log: Logger,
): number {
  const documents = journal.documentsAfter(journal.cursor(NOTICE_CURSOR), BATCH_LIMIT);
  if (documents.length === 0) return 0;
  const oldest = Date.parse(documents[0]!.createdAt);
  if (now.getTime() - oldest < settings.batchSeconds * 1000) return 0;
  const through = documents[documents.length - 1]!.id;
  const at = now.toISOString();
  if (!settings.send) {
    journal.setCursor(NOTICE_CURSOR, through, at);
    return 0;
  }
  const { notices, unassigned } = planNotices(
    documents,
    (caseNumber) => journal.getCase(caseNumber)?.caseworker ?? null,
    routing.forwardAllowlist,
  );
  journal.queueNotices({ name: NOTICE_CURSOR, value: through }, notices, at);
  if (notices.length > 0 || unassigned.length > 0)
    log.info(
      {
        event: 'notices-queued',
        notices: notices.length,
        casesWithoutCaseworker: unassigned.length,
      },
      'caseworker notices queued',
    );
  return notices.length;
}

export interface NotifyDeps {
  journal: Journal;
  mailer: Mailer;
  routing: () => RoutingConfig;
  /** The bundle's link or path for a case ({case} filled in). */
  bundleLink: (caseNumber: string) => string;
  attachBundleMaxBytes: number;
  onSent?: () => void;
}

/** The outbox handler for `notify` actions: composes the notice from the journal and sends it. */
export function createNotifyHandler(deps: NotifyDeps): ActionHandler {
  return async (action) => {
    const routing = deps.routing();
    if (!allowedRecipient(action.target, routing.forwardAllowlist))
      throw new ActionError(
        'NoticeNotAllowed',
        'the caseworker address is not covered by forwardAllowlist',
        false,
      );
    const caseNumber = String(action.payload?.caseNumber ?? '');
    const ids = new Set((action.payload?.documentIds as number[] | undefined) ?? []);
    const documents = deps.journal.caseDocuments(caseNumber).filter((doc) => ids.has(doc.id));
    if (documents.length === 0) return; // Deleted by retention in the meantime: nothing to tell.
    const found = deps.journal.getCase(caseNumber);
    const areaName = routing.areas.find((area) => area.id === found?.area)?.name ?? null;
    const link = deps.bundleLink(caseNumber);
    const attach =
      deps.attachBundleMaxBytes > 0 &&
      !/^https?:/i.test(link) &&
      existsSync(link) &&
      statSync(link).size <= deps.attachBundleMaxBytes;
    const composed = composeNotice({
      caseNumber,
      areaName,
      documents,
      bundleLink: link,
      bundleAttached: attach,
    });
    await deps.mailer.send({
      to: [action.target],
      ...composed,
      messageId: messageIdFor(
        deps.mailer.from,
        `notice.${caseNumber}.${documents[documents.length - 1]!.id}`,
      ),
      ...(attach
        ? {
            attachments: [
              { filename: `Sag ${caseNumber}.pdf`, path: link, contentType: 'application/pdf' },
            ],
          }
        : {}),
    });
    deps.onSent?.();
  };
}
