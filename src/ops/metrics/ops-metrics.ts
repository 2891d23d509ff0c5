import type { Journal } from '../../journal/journal.js';
import { secondsBetween } from '../since.js';
import { Registry } from './registry.js';

/** Seconds; from a fast rule decision to a slow OCR'd scan or a relay that is down for a while. */
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];
const DECISION_EVENTS = ['decided', 'decided-shadow', 'quarantined'];
const EVENT_BATCH = 5000;

/**
 * Everything /metrics shows. Counts come from the journal at each scrape, so they survive
 * a restart; latencies are observed from the audit trail's new events since the start.
 * Other parts increment the live counters (`ocrPages`, `sourceContact`) directly.
 */
export class OpsMetrics {
  readonly registry = new Registry();
  readonly mails = this.registry.counter(
    'postrobot_mails_decided_total',
    'Mails decided, by decision, area and mode (live or shadow).',
  );
  readonly actions = this.registry.gauge(
    'postrobot_outbox_actions',
    'Actions in the outbox by kind and status (pending and failed are the queue depths).',
  );
  readonly retries = this.registry.counter(
    'postrobot_action_failed_attempts_total',
    'Attempts of outbox actions that failed (each one was retried or given up).',
  );
  readonly ocrPages = this.registry.counter('postrobot_ocr_pages_total', 'Pages read by OCR.');
  readonly intakeToDecision = this.registry.histogram(
    'postrobot_intake_to_decision_seconds',
    'From the ledger row to the committed decision.',
    LATENCY_BUCKETS,
  );
  readonly decisionToAction = this.registry.histogram(
    'postrobot_decision_to_action_done_seconds',
    'From the decision to an outbox action done, by kind.',
    LATENCY_BUCKETS,
  );
  readonly sourceContact = this.registry.gauge(
    'postrobot_source_last_contact_timestamp_seconds',
    'When the mail source (IMAP or Maildir) last answered, Unix time.',
  );
  readonly lastMail = this.registry.gauge(
    'postrobot_last_mail_received_timestamp_seconds',
    'When the newest mail was received, Unix time.',
  );
  readonly reloads = this.registry.counter(
    'postrobot_routing_reloads_total',
    'Routing file reloads, by result (ok or rejected).',
  );
  readonly notices = this.registry.counter(
    'postrobot_notices_sent_total',
    'Caseworker notices and area digests sent, by kind.',
  );
  readonly shadow = this.registry.gauge('postrobot_shadow_mode', '1 in shadow mode, 0 when live.');
  private eventCursor: number;
  private lastContactMs: number | null = null;

  constructor(
    private readonly journal: Journal,
    readonly startedAt: Date = new Date(),
  ) {
    // Latencies count from the start, like any Prometheus histogram.
    this.eventCursor = journal.events({ limit: 1 })[0]?.id ?? 0;
  }

  markSourceContact(at: Date = new Date()): void {
    this.lastContactMs = at.getTime();
    this.sourceContact.set({}, Math.floor(at.getTime() / 1000));
  }

  /** When the source last answered (or the start, when it has not yet). */
  lastSourceContact(): Date {
    return new Date(this.lastContactMs ?? this.startedAt.getTime());
  }

  /** Reads the counts and the new events from the journal. */
  refresh(): void {
    const counts = this.journal.opsCounts();
    this.mails.replace(
      counts.decisions.map((row) => ({
        labels: {
          decision: row.decision,
          area: row.area ?? 'none',
          mode: row.shadow ? 'shadow' : 'live',
        },
        value: row.count,
      })),
    );
    this.actions.replace(
      counts.actions.map((row) => ({
        labels: { kind: row.kind, status: row.status },
        value: row.count,
      })),
    );
    const failedAttempts = new Map<string, number>();
    for (const row of counts.actions) {
      const failed = row.attempts - (row.status === 'done' ? row.count : 0);
      failedAttempts.set(row.kind, (failedAttempts.get(row.kind) ?? 0) + Math.max(0, failed));
    }
    this.retries.replace([...failedAttempts].map(([kind, value]) => ({ labels: { kind }, value })));
    const last = this.journal.stats().lastReceivedAt;
    if (last) this.lastMail.set({}, Math.floor(Date.parse(last) / 1000));
    this.observeNewEvents();
  }

  private observeNewEvents(): void {
    for (;;) {
      const events = this.journal.eventsAfter(
        this.eventCursor,
        [...DECISION_EVENTS, 'action-done'],
        EVENT_BATCH,
      );
      for (const event of events) {
        this.eventCursor = event.id;
        const message =
          event.messageId === null ? undefined : this.journal.getMessage(event.messageId);
        if (!message) continue;
        if (event.kind === 'action-done') {
          const seconds = secondsBetween(message.decidedAt, event.at);
          const kind = typeof event.detail?.action === 'string' ? event.detail.action : 'unknown';
          if (seconds !== null) this.decisionToAction.observe({ kind }, seconds);
        } else {
          const seconds = secondsBetween(message.receivedAt, event.at);
          if (seconds !== null)
            this.intakeToDecision.observe({ decision: message.decision ?? 'none' }, seconds);
        }
      }
      if (events.length < EVENT_BATCH) return;
    }
  }

  render(): string {
    this.refresh();
    return this.registry.render();
  }
}
