import type { Journal } from '../../journal/journal.js';
import type { MessageRecord } from '../../journal/records.js';
import { dayOf, secondsBetween } from '../since.js';

export interface StageTiming {
  stage: string;
  count: number;
  p50: number;
  p95: number;
  max: number;
}

export interface AreaPrecision {
  area: string;
  checked: number;
  correct: number;
}

/** Everything the report shows, gathered from the journal. Plain data: the page is drawn from it. */
export interface ReportData {
  since: string;
  until: string;
  days: string[];
  /** Outcome (area id, "manual", "quarantine") → mails per day. */
  perDay: Record<string, number[]>;
  routeRate: (number | null)[];
  manualQueue: number[];
  precision: AreaPrecision[];
  stages: StageTiming[];
  totals: { mails: number; routed: number; manual: number; quarantined: number; shadow: number };
  targetRouteRate: number;
}

function daysBetween(since: Date, until: Date): string[] {
  const days: string[] = [];
  const cursor = new Date(
    Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate()),
  );
  while (cursor.getTime() <= until.getTime()) {
    days.push(cursor.toISOString().slice(0, 10));
    cursor.setUTCDate(cursor.getUTCDate() + 1);
  }
  return days;
}

function outcomeOf(message: MessageRecord): string {
  return message.decision === 'route' && message.area
    ? message.area
    : (message.decision ?? 'manual');
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1) + 0.5))] ?? 0;
}

function timing(stage: string, values: number[]): StageTiming {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    stage,
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    max: sorted.at(-1) ?? 0,
  };
}

/** The earliest human label per mail (a person sorted it or confirmed it). */
function humanLabels(journal: Journal): Map<string, { area: string; at: string }> {
  const labels = new Map<string, { area: string; at: string }>();
  for (const example of journal.listTrainingExamples()) {
    const known = labels.get(example.sha256);
    if (!known || example.at < known.at)
      labels.set(example.sha256, { area: example.area, at: example.at });
  }
  return labels;
}

export function gatherReport(
  journal: Journal,
  since: Date,
  until: Date,
  targetRouteRate: number,
): ReportData {
  const days = daysBetween(since, until);
  const dayIndex = new Map(days.map((day, index) => [day, index]));
  const messages = journal
    .listMessages({ since: since.toISOString() })
    .filter(
      (m) => m.status !== 'duplicate' && m.decision !== null && m.receivedAt <= until.toISOString(),
    );
  const perDay: Record<string, number[]> = {};
  const decided = days.map(() => 0);
  const routed = days.map(() => 0);
  for (const message of messages) {
    const index = dayIndex.get(dayOf(message.receivedAt));
    if (index === undefined) continue;
    const outcome = outcomeOf(message);
    (perDay[outcome] ??= days.map(() => 0))[index]! += 1;
    decided[index]! += 1;
    if (message.decision === 'route') routed[index]! += 1;
  }
  const labels = humanLabels(journal);
  // The manual queue at the end of each day: manual mails not yet sorted by a person.
  const manualQueue = days.map((day) => {
    const end = `${day}T23:59:59.999Z`;
    return messages.filter(
      (m) =>
        m.decision === 'manual' &&
        m.receivedAt <= end &&
        !((labels.get(m.sha256)?.at ?? '9999') <= end),
    ).length;
  });
  const precision = new Map<string, AreaPrecision>();
  for (const message of messages) {
    const label = labels.get(message.sha256);
    if (message.decision !== 'route' || !message.area || !label || label.area === 'manual')
      continue;
    const entry = precision.get(message.area) ?? { area: message.area, checked: 0, correct: 0 };
    entry.checked += 1;
    if (label.area === message.area) entry.correct += 1;
    precision.set(message.area, entry);
  }
  const byId = new Map(messages.map((m) => [m.id, m]));
  const afterDecision = new Map<string, number[]>();
  for (const action of journal.actionsCreatedSince(since.toISOString())) {
    const seconds = secondsBetween(byId.get(action.messageId)?.decidedAt ?? null, action.doneAt);
    if (seconds !== null)
      afterDecision.set(action.kind, [...(afterDecision.get(action.kind) ?? []), seconds]);
  }
  const intake = messages
    .map((m) => secondsBetween(m.receivedAt, m.decidedAt))
    .filter((s): s is number => s !== null);
  const stages = [
    timing('modtaget → afgjort', intake),
    ...[...afterDecision].map(([kind, values]) => timing(`afgjort → ${kind} udført`, values)),
  ].sort((a, b) => b.p95 - a.p95);
  return {
    since: since.toISOString(),
    until: until.toISOString(),
    days,
    perDay,
    routeRate: days.map((_, i) => (decided[i]! > 0 ? routed[i]! / decided[i]! : null)),
    manualQueue,
    precision: [...precision.values()].sort((a, b) => a.area.localeCompare(b.area)),
    stages,
    totals: {
      mails: messages.length,
      routed: messages.filter((m) => m.decision === 'route').length,
      manual: messages.filter((m) => m.decision === 'manual').length,
      quarantined: messages.filter((m) => m.decision === 'quarantine').length,
      shadow: messages.filter((m) => m.shadow).length,
    },
    targetRouteRate,
  };
}
