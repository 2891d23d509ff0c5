import type { RoutingConfig } from '../config/schema.js';
import type { Journal } from '../journal/journal.js';
import { scrubCpr } from '../log/cpr.js';

export interface ShadowReport {
  since: string;
  mails: number;
  /** Folder → mails that would have been moved there. */
  moves: Record<string, number>;
  /** Address → forwards that would have been sent. */
  forwards: Record<string, number>;
  routed: number;
  manual: number;
  quarantined: number;
  /** Mails a person has sorted since: how often the robot would have agreed. */
  checkedByPeople: number;
  agreed: number;
  decisions: {
    id: number;
    receivedAt: string;
    subject: string | null;
    decision: string | null;
    area: string | null;
    folder: string | null;
    confidence: number | null;
    reason: string | null;
  }[];
}

/** What shadow mode would have done: every move and forward, and how it compares with people. */
export function shadowReport(journal: Journal, routing: RoutingConfig, since: Date): ShadowReport {
  const messages = journal
    .listMessages({ since: since.toISOString() })
    .filter((m) => m.shadow && m.status !== 'duplicate' && m.decision !== null);
  const labels = new Map(journal.listTrainingExamples().map((e) => [e.sha256, e.area]));
  const report: ShadowReport = {
    since: since.toISOString(),
    mails: messages.length,
    moves: {},
    forwards: {},
    routed: 0,
    manual: 0,
    quarantined: 0,
    checkedByPeople: 0,
    agreed: 0,
    decisions: [],
  };
  for (const m of messages) {
    if (m.folder) report.moves[m.folder] = (report.moves[m.folder] ?? 0) + 1;
    if (m.decision === 'route') {
      report.routed += 1;
      for (const address of routing.areas.find((a) => a.id === m.area)?.addresses ?? [])
        report.forwards[address] = (report.forwards[address] ?? 0) + 1;
    } else if (m.decision === 'manual') report.manual += 1;
    else report.quarantined += 1;
    const label = labels.get(m.sha256);
    if (label !== undefined) {
      report.checkedByPeople += 1;
      const would = m.decision === 'route' ? m.area : 'manual';
      if (label === would) report.agreed += 1;
    }
    const first = m.reasons[0];
    report.decisions.push({
      id: m.id,
      receivedAt: m.receivedAt,
      subject: m.subject === null ? null : scrubCpr(m.subject),
      decision: m.decision,
      area: m.area,
      folder: m.folder,
      confidence: m.confidence,
      reason: first ? scrubCpr(`${first.kind}: ${first.detail}`) : null,
    });
  }
  return report;
}

export function formatShadowReport(report: ShadowReport, list: boolean): string {
  const share = (n: number): string =>
    report.mails > 0 ? `${((100 * n) / report.mails).toFixed(1)} %` : '–';
  const table = (entries: Record<string, number>): string[] =>
    Object.entries(entries)
      .sort((a, b) => b[1] - a[1])
      .map(([key, n]) => `  ${key.padEnd(34)}${String(n).padStart(6)}`);
  return [
    `shadow mode since ${report.since}: ${report.mails} mails decided, nothing moved or sent`,
    `would have routed ${report.routed} (${share(report.routed)}), left ${report.manual} to a person (${share(report.manual)}), quarantined ${report.quarantined}`,
    report.checkedByPeople > 0
      ? `people have sorted ${report.checkedByPeople} of them since: the robot agreed on ${report.agreed} (${((100 * report.agreed) / report.checkedByPeople).toFixed(1)} %)`
      : 'no person has sorted any of them yet',
    '',
    'would have moved to:',
    ...table(report.moves),
    '',
    'would have forwarded to:',
    ...(Object.keys(report.forwards).length > 0
      ? table(report.forwards)
      : ['  (no area has forward addresses)']),
    ...(list
      ? [
          '',
          'decisions:',
          ...report.decisions.map(
            (d) =>
              `  #${d.id}  ${d.receivedAt.slice(0, 16)}  ${(d.folder ?? '-').padEnd(22)} ${(d.confidence ?? 0).toFixed(2)}  ${d.subject ?? ''}  [${d.reason ?? ''}]`,
          ),
        ]
      : []),
    '',
    'Switching to live (shadow: false, or run without --shadow) acts on new mail only; these mails are not processed again.',
  ].join('\n');
}
