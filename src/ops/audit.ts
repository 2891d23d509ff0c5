import { userInfo } from 'node:os';
import type { Journal } from '../journal/journal.js';
import type { EventRecord, MessageRecord } from '../journal/records.js';
import { scrubCpr } from '../log/cpr.js';
import { messagesMentioning } from './cpr-index.js';

export interface AuditMessage {
  id: number;
  receivedAt: string;
  subject: string | null;
  sender: string | null;
  decision: string | null;
  area: string | null;
  caseNumber: string | null;
  status: string;
}

export interface AuditResult {
  query: { by: 'case' | 'message' | 'person'; value: string };
  messages: AuditMessage[];
  events: EventRecord[];
}

/** Output never repeats a CPR number, not even one that stands in a subject. */
function summary(message: MessageRecord): AuditMessage {
  return {
    id: message.id,
    receivedAt: message.receivedAt,
    subject: message.subject === null ? null : scrubCpr(message.subject),
    sender: message.sender,
    decision: message.decision,
    area: message.area,
    caseNumber: message.caseNumber,
    status: message.status,
  };
}

function scrubEvent(event: EventRecord): EventRecord {
  return {
    ...event,
    detail:
      event.detail === null
        ? null
        : (JSON.parse(scrubCpr(JSON.stringify(event.detail))) as Record<string, unknown>),
  };
}

function eventsOf(journal: Journal, messageIds: number[]): EventRecord[] {
  const byId = new Map<number, EventRecord>();
  for (const id of messageIds)
    for (const event of journal.events({ messageId: id })) byId.set(event.id, event);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** Who asked is itself part of the audit trail (never what number they asked about). */
function recordQuery(
  journal: Journal,
  by: AuditResult['query']['by'],
  matches: number,
  now: Date,
): void {
  journal.addEvent({
    kind: 'audit-query',
    actor: `user:${userInfo().username}`,
    at: now.toISOString(),
    detail: { by, messages: matches },
  });
}

export function auditCase(journal: Journal, caseNumber: string, now = new Date()): AuditResult {
  const messages = journal.listMessages({ caseNumber });
  const events = journal.events({ caseNumber });
  recordQuery(journal, 'case', messages.length, now);
  return {
    query: { by: 'case', value: caseNumber },
    messages: messages.map(summary),
    events: events.map(scrubEvent),
  };
}

export function auditMessage(journal: Journal, id: number, now = new Date()): AuditResult {
  const message = journal.getMessage(id);
  recordQuery(journal, 'message', message ? 1 : 0, now);
  return {
    query: { by: 'message', value: String(id) },
    messages: message ? [summary(message)] : [],
    events: message ? eventsOf(journal, [id]).map(scrubEvent) : [],
  };
}

/** Every event touching mail that mentions the number; the number itself is only hashed. */
export function auditPerson(
  journal: Journal,
  key: Buffer,
  cpr: string,
  now = new Date(),
): AuditResult {
  const ids = messagesMentioning(journal, key, cpr);
  const messages = ids
    .map((id) => journal.getMessage(id))
    .filter((m): m is MessageRecord => m !== undefined);
  recordQuery(journal, 'person', messages.length, now);
  return {
    query: { by: 'person', value: '[CPR]' },
    messages: messages.map(summary),
    events: eventsOf(journal, ids).map(scrubEvent),
  };
}

/** A readable listing for the terminal. */
export function formatAudit(result: AuditResult): string {
  const lines = [
    `audit by ${result.query.by} ${result.query.value}: ${result.messages.length} mails, ${result.events.length} events`,
    '',
    'mails:',
    ...result.messages.map(
      (m) =>
        `  #${m.id}  ${m.receivedAt}  ${(m.decision ?? m.status).padEnd(10)} ${(m.area ?? '-').padEnd(20)} ${m.caseNumber ?? '-'}  ${m.subject ?? ''}`,
    ),
    '',
    'events:',
    ...result.events.map(
      (e) =>
        `  ${e.at}  ${e.actor.padEnd(14)} ${e.kind.padEnd(18)} mail ${e.messageId ?? '-'}  case ${e.caseNumber ?? '-'}  ${e.detail ? JSON.stringify(e.detail) : ''}`,
    ),
  ];
  return lines.join('\n');
}
