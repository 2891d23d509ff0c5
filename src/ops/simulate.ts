import { classifyContext } from '../daemon/classify-context.js';
import type { Journal } from '../journal/journal.js';
import type { BlobStore } from '../journal/blob-store.js';
import type { MessageRecord } from '../journal/records.js';
import { classify, type ModelLike } from '../pipeline/classify.js';
import { decide } from '../pipeline/decide.js';
import { extractMail } from '../pipeline/extract.js';
import { parseMail, type ParseLimits } from '../pipeline/parse.js';
import type { CompiledRouting } from '../pipeline/routing.js';

/** Where a mail ends up: an area id when routed, else "manual" or "quarantine". */
export type Outcome = string;

export interface Replayed {
  messageId: number;
  recorded: Outcome;
  current: Outcome;
  proposed: Outcome;
  /** The reason that decided under the new configuration (kind: detail). */
  reason: string;
}

export interface SimulationReport {
  since: string;
  replayed: number;
  skipped: number;
  changed: Replayed[];
  /** Recorded decisions that today's configuration would not repeat (cases learnt, model changed). */
  driftFromRecorded: number;
  perArea: { area: Outcome; current: number; proposed: number }[];
}

function outcomeOf(kind: string | null, area: string | null): Outcome {
  return kind === 'route' && area ? area : (kind ?? 'manual');
}

/** Decides one stored mail under a routing configuration, without recording anything. */
export async function replayOne(
  raw: Buffer,
  journal: Journal,
  routing: CompiledRouting,
  model: ModelLike | null,
  limits: ParseLimits,
): Promise<{ outcome: Outcome; reason: string }> {
  try {
    const mail = await parseMail(raw, limits);
    const extracted = extractMail(mail, {
      caseNumberPatterns: routing.caseNumberPatterns,
      ownMarkerHeader: 'X-Postrobot-Forward',
    });
    const classification = classify(mail, extracted, classifyContext(journal, routing, model));
    const decision = decide(
      classification,
      extracted.automatic,
      routing.config,
      classification.modelThreshold ?? null,
    );
    const first = decision.reasons[0];
    return {
      outcome: outcomeOf(decision.kind, decision.area),
      reason: first ? `${first.kind}: ${first.detail}` : '',
    };
  } catch {
    return { outcome: 'quarantine', reason: 'cannot be read' };
  }
}

/**
 * Replays the stored mail since a moment through the current and a proposed routing and
 * counts what would change, per area (the dry run of a rule change).
 */
export async function simulate(input: {
  journal: Journal;
  blobs: BlobStore;
  since: Date;
  current: { routing: CompiledRouting; model: ModelLike | null };
  proposed: { routing: CompiledRouting; model: ModelLike | null };
  limits: ParseLimits;
}): Promise<SimulationReport> {
  const { journal, blobs } = input;
  const messages = journal
    .listMessages({ since: input.since.toISOString() })
    .filter((m: MessageRecord) => m.status !== 'duplicate' && m.decision !== null);
  const changed: Replayed[] = [];
  const counts = new Map<Outcome, { current: number; proposed: number }>();
  const bump = (area: Outcome, key: 'current' | 'proposed'): void => {
    const entry = counts.get(area) ?? { current: 0, proposed: 0 };
    entry[key] += 1;
    counts.set(area, entry);
  };
  let skipped = 0;
  let drift = 0;
  for (const message of messages) {
    if (!blobs.has(message.sha256, 'eml')) {
      skipped += 1; // Deleted by retention.
      continue;
    }
    const raw = blobs.read(message.sha256, 'eml');
    const current = await replayOne(
      raw,
      journal,
      input.current.routing,
      input.current.model,
      input.limits,
    );
    const proposed = await replayOne(
      raw,
      journal,
      input.proposed.routing,
      input.proposed.model,
      input.limits,
    );
    const recorded = outcomeOf(message.decision, message.area);
    bump(current.outcome, 'current');
    bump(proposed.outcome, 'proposed');
    if (recorded !== current.outcome) drift += 1;
    if (current.outcome !== proposed.outcome)
      changed.push({
        messageId: message.id,
        recorded,
        current: current.outcome,
        proposed: proposed.outcome,
        reason: proposed.reason,
      });
  }
  return {
    since: input.since.toISOString(),
    replayed: messages.length - skipped,
    skipped,
    changed,
    driftFromRecorded: drift,
    perArea: [...counts]
      .map(([area, entry]) => ({ area, ...entry }))
      .sort((a, b) => a.area.localeCompare(b.area)),
  };
}

function signed(value: number): string {
  return value > 0 ? `+${value}` : String(value);
}

export function formatSimulation(report: SimulationReport): string {
  const share =
    report.replayed > 0 ? ((100 * report.changed.length) / report.replayed).toFixed(1) : '0.0';
  return [
    `replayed ${report.replayed} mails received since ${report.since}` +
      (report.skipped > 0 ? ` (${report.skipped} skipped: their raw mail is deleted)` : ''),
    `decisions that would change: ${report.changed.length} (${share} %)`,
    '',
    `${'area'.padEnd(22)}${'now'.padStart(6)}${'new'.padStart(6)}${'change'.padStart(8)}`,
    ...report.perArea.map(
      (row) =>
        `${row.area.padEnd(22)}${String(row.current).padStart(6)}${String(row.proposed).padStart(6)}${signed(row.proposed - row.current).padStart(8)}`,
    ),
    ...(report.changed.length > 0
      ? [
          '',
          'changed mails:',
          ...report.changed.map(
            (c) => `  #${c.messageId}  ${c.current} → ${c.proposed}  (${c.reason})`,
          ),
        ]
      : []),
    ...(report.driftFromRecorded > 0
      ? [
          '',
          `${report.driftFromRecorded} recorded decisions differ from a replay with the current configuration (cases and model learnt since).`,
        ]
      : []),
  ].join('\n');
}
