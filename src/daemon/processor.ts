import type { Logger } from 'pino';
import { describeError, MailRejectedError, PostrobotError } from '../errors.js';
import type { BlobStore } from '../journal/blob-store.js';
import type { Journal } from '../journal/journal.js';
import type { MessageRecord } from '../journal/records.js';
import { contentKey } from '../pipeline/content-key.js';
import { classify, type ModelLike } from '../pipeline/classify.js';
import { decide, quarantineDecision } from '../pipeline/decide.js';
import { extractMail } from '../pipeline/extract.js';
import { parseMail, type ParseLimits } from '../pipeline/parse.js';
import {
  decideWithAttachmentText,
  type AttachmentTextSource,
} from '../pdf/ocr/decide-with-scans.js';
import { moveKey, planCommit } from '../pipeline/plan.js';
import type { CompiledRouting } from '../pipeline/routing.js';
import type { ExtractedMail, ParsedMail } from '../types.js';
import { classifyContext } from './classify-context.js';
import { failpoint } from './failpoint.js';
import type { MailSource, SourceItem } from './ports.js';

/** The header our own forwards carry, so that they are never forwarded again. */
export const OWN_MARKER_HEADER = 'X-Postrobot-Forward';

export interface ProcessorDeps {
  journal: Journal;
  blobs: BlobStore;
  limits: ParseLimits;
  routing: () => CompiledRouting;
  model: () => ModelLike | null;
  shadow: () => boolean;
  log: Logger;
  now?: () => Date;
  /** Told when a mail was filed on a case, so that the case PDF is rebuilt off this loop. */
  onFiled?: (caseNumber: string) => void;
  /** Text of the attachments: text layers, and OCR of scans when the decision needs it. */
  attachmentText?: AttachmentTextSource;
  /** Whether forwards can be sent (an SMTP relay is configured); true when not given. */
  canForward?: () => boolean;
}

export type ProcessOutcome = 'known' | 'duplicate' | 'decided' | 'quarantined';

/**
 * Takes one mail through intake → parse → extract → classify → decide → journal. The raw
 * bytes and the ledger row are committed before anything else happens to the mail; the
 * actions it plans go to the outbox, run by the caller.
 */
export class MailProcessor {
  private readonly now: () => Date;
  /** Inside a batch, what must wait for the commit (claims, failpoints); null outside one. */
  private deferred: (() => void | Promise<void>)[] | null = null;

  constructor(private readonly deps: ProcessorDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** `prefetched`: the mail's bytes when the caller has read them already (a chunk's FETCH). */
  async intake(
    item: SourceItem,
    source: MailSource,
    prefetched?: Buffer,
  ): Promise<{ outcome: ProcessOutcome; message: MessageRecord }> {
    const { journal, blobs, log } = this.deps;
    const existing = journal.findByLocator(item.locator);
    if (existing) {
      if (existing.status === 'received')
        return { outcome: await this.decideStored(existing), message: existing };
      return { outcome: 'known', message: existing };
    }
    const raw = prefetched ?? (await item.read());
    // Inside a batch the fsyncs wait for sealBatch(), which runs before the commit.
    const sha256 = blobs.put(raw, 'eml');
    const key = contentKey(raw);
    const original = journal.findOriginalBySha(sha256, key) ?? null;
    const message = journal.recordReceived(
      {
        locator: item.locator,
        sha256,
        contentKey: key,
        size: raw.length,
        receivedAt: this.now().toISOString(),
      },
      original,
    );
    await this.afterCommit(async () => {
      failpoint('after-intake');
      await source.claim?.(item);
    });
    log.info(
      {
        event: 'mail-received',
        messageId: message.id,
        size: raw.length,
        duplicateOf: original?.id,
      },
      'mail received',
    );
    if (original) {
      this.linkDuplicate(message, original);
      return { outcome: 'duplicate', message };
    }
    return { outcome: await this.decideStored(message, raw), message };
  }

  /** Starts collecting what must happen only after the batch's commit, and the blobs' fsyncs. */
  startBatch(): void {
    this.deferred = [];
    this.deps.blobs.beginBatch();
  }

  /** Makes the batch's raw mail durable. Call before the journal's commitBatch. */
  async sealBatch(): Promise<void> {
    await this.deps.blobs.flush();
  }

  /** Runs what waited for the commit, in order. Call after the journal's commitBatch. */
  async finishBatch(): Promise<void> {
    const waiting = this.deferred ?? [];
    this.deferred = null;
    for (const step of waiting) await step();
  }

  /** Drops what waited for a commit that did not happen. */
  abandonBatch(): void {
    this.deferred = null;
    this.deps.blobs.abandonBatch();
  }

  private async afterCommit(step: () => void | Promise<void>): Promise<void> {
    if (this.deferred) this.deferred.push(step);
    else await step();
  }

  /** The same bytes seen at another place: linked to the first, moved where it went, never acted on twice. */
  private linkDuplicate(message: MessageRecord, original: MessageRecord): void {
    const routing = this.deps.routing().config;
    const folder = original.folder ?? routing.folders.manual;
    const at = this.now().toISOString();
    if (!this.deps.shadow()) {
      this.deps.journal.addActions(
        message.id,
        [{ kind: 'move', target: folder, payload: null, idempotencyKey: moveKey(message.id) }],
        at,
      );
    }
    this.deps.journal.addEvent({
      kind: 'linked-duplicate',
      messageId: message.id,
      at,
      detail: { original: original.id, folder },
    });
    this.deps.log.info(
      { event: 'mail-duplicate', messageId: message.id, original: original.id },
      'same bytes as an earlier mail; linked',
    );
  }

  /** Decides a mail whose raw bytes and ledger row are stored (also used to resume after a crash). */
  async decideStored(message: MessageRecord, raw?: Buffer): Promise<ProcessOutcome> {
    const { journal, blobs, log } = this.deps;
    const bytes = raw ?? blobs.read(message.sha256, 'eml');
    const routing = this.deps.routing();
    let mail: ParsedMail | null = null;
    let extracted: ExtractedMail | null = null;
    try {
      mail = await parseMail(bytes, this.deps.limits);
      const parsed = mail;
      const options = {
        caseNumberPatterns: routing.caseNumberPatterns,
        ownMarkerHeader: OWN_MARKER_HEADER,
      };
      // Waits for OCR of scans only when the decision needs it: see decide-with-scans.ts.
      const evaluated = await decideWithAttachmentText(parsed, this.deps.attachmentText, (text) => {
        const ex = extractMail(parsed, options, text);
        const cl = classify(
          parsed,
          ex,
          classifyContext(this.deps.journal, routing, this.deps.model()),
        );
        return {
          extracted: ex,
          decision: decide(cl, ex.automatic, routing.config, cl.modelThreshold ?? null),
        };
      });
      extracted = evaluated.extracted;
      for (const attachment of mail.attachments)
        blobs.put(attachment.content, 'bin', { durable: false });
      // Without an SMTP relay the area addresses are not forwarded to; the audit trail says so.
      const canForward = this.deps.canForward?.() ?? true;
      const skipped = canForward ? 0 : evaluated.decision.forwardTo.length;
      const decision = canForward ? evaluated.decision : { ...evaluated.decision, forwardTo: [] };
      const commit = planCommit({
        messageId: message.id,
        sha256: message.sha256,
        size: message.size,
        mail,
        extracted,
        decision,
        shadow: this.deps.shadow(),
        error: null,
      });
      if (skipped > 0 && decision.kind === 'route' && !this.deps.shadow()) {
        commit.events.push({
          kind: 'forward-skipped',
          detail: { addresses: skipped, reason: 'no SMTP relay configured' },
        });
      }
      journal.commitDecision(commit);
      await this.afterCommit(() => failpoint('after-decision'));
      if (commit.caseNumber && commit.documents.length > 0 && !this.deps.shadow())
        this.deps.onFiled?.(commit.caseNumber);
      log.info(
        {
          event: 'mail-decided',
          messageId: message.id,
          decision: decision.kind,
          area: decision.area,
          confidence: Number(decision.confidence.toFixed(3)),
          caseNumber: decision.caseNumber,
          folder: decision.folder,
          shadow: this.deps.shadow(),
        },
        'mail decided',
      );
      return 'decided';
    } catch (error) {
      const code = error instanceof PostrobotError ? error.code : 'StageFailed';
      const text =
        error instanceof MailRejectedError
          ? error.message
          : `a stage failed: ${describeError(error)}`;
      const decision = quarantineDecision(routing.config, code, text);
      journal.commitDecision(
        planCommit({
          messageId: message.id,
          sha256: message.sha256,
          size: message.size,
          mail: null,
          extracted,
          decision,
          shadow: this.deps.shadow(),
          error: { code, message: text },
        }),
      );
      log.warn(
        { event: 'mail-quarantined', messageId: message.id, code, reason: text },
        'mail quarantined',
      );
      return 'quarantined';
    }
  }
}
