import type { MailLocator } from '../types.js';
import { openDatabase, type Db } from './database.js';
import type { Journal, ReceivedInput } from './journal.js';
import type {
  ActionRecord,
  CaseRecord,
  DecisionCommit,
  DocumentRecord,
  EventRecord,
  JournalStats,
  MessageRecord,
  NewEvent,
} from './records.js';
import { toAction, toCase, toDocument, toEvent, toMessage } from './rows.js';

type Row = Record<string, unknown>;

/** The journal on SQLite (better-sqlite3): every multi-row change is one transaction. */
export class SqliteJournal implements Journal {
  private readonly db: Db;

  constructor(file: string) {
    this.db = openDatabase(file);
  }

  private one(sql: string, ...params: unknown[]): Row | undefined {
    return this.db.prepare(sql).get(...params) as Row | undefined;
  }

  private all(sql: string, ...params: unknown[]): Row[] {
    return this.db.prepare(sql).all(...params) as Row[];
  }

  findByLocator(locator: MailLocator): MessageRecord | undefined {
    const row = this.one(
      'SELECT * FROM messages WHERE account = ? AND mailbox = ? AND uid_validity = ? AND uid = ?',
      locator.account,
      locator.mailbox,
      locator.uidValidity,
      locator.uid,
    );
    return row ? toMessage(row) : undefined;
  }

  getMessage(id: number): MessageRecord | undefined {
    const row = this.one('SELECT * FROM messages WHERE id = ?', id);
    return row ? toMessage(row) : undefined;
  }

  findOriginalBySha(sha256: string): MessageRecord | undefined {
    const row = this.one(
      "SELECT * FROM messages WHERE sha256 = ? AND status != 'duplicate' ORDER BY id LIMIT 1",
      sha256,
    );
    return row ? toMessage(row) : undefined;
  }

  findByMessageIdHeader(messageIds: string[]): MessageRecord[] {
    if (messageIds.length === 0) return [];
    const marks = messageIds.map(() => '?').join(', ');
    return this.all(
      `SELECT * FROM messages WHERE message_id IN (${marks}) ORDER BY id`,
      ...messageIds,
    ).map(toMessage);
  }

  recordReceived(input: ReceivedInput, duplicateOf: MessageRecord | null): MessageRecord {
    const { locator } = input;
    const info = this.db
      .prepare(
        `INSERT INTO messages (account, mailbox, uid_validity, uid, sha256, size, received_at, status, duplicate_of)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        locator.account,
        locator.mailbox,
        locator.uidValidity,
        locator.uid,
        input.sha256,
        input.size,
        input.receivedAt,
        duplicateOf ? 'duplicate' : 'received',
        duplicateOf?.id ?? null,
      );
    const id = Number(info.lastInsertRowid);
    this.insertEvent({
      kind: duplicateOf ? 'received-duplicate' : 'received',
      messageId: id,
      at: input.receivedAt,
      detail: {
        account: locator.account,
        mailbox: locator.mailbox,
        uidValidity: locator.uidValidity,
        uid: locator.uid,
        sha256: input.sha256,
        size: input.size,
        ...(duplicateOf ? { duplicateOf: duplicateOf.id } : {}),
      },
    });
    return this.getMessage(id)!;
  }

  commitDecision(commit: DecisionCommit): MessageRecord {
    const at = new Date().toISOString();
    this.db.transaction(() => {
      this.db
        .prepare(
          `UPDATE messages SET status = ?, subject = ?, sender = ?, sent_at = ?, message_id = COALESCE(?, message_id),
             decision = ?, area = ?, confidence = ?, case_number = ?, folder = ?, reasons = ?, automatic = ?,
             error_code = ?, error = ?, shadow = ?, decided_at = ?
           WHERE id = ?`,
        )
        .run(
          commit.status,
          commit.summary.subject,
          commit.summary.sender,
          commit.summary.sentAt,
          commit.summary.messageIdHeader,
          commit.decision,
          commit.area,
          commit.confidence,
          commit.caseNumber,
          commit.folder,
          JSON.stringify(commit.reasons),
          commit.automatic,
          commit.error?.code ?? null,
          commit.error?.message ?? null,
          commit.shadow ? 1 : 0,
          at,
          commit.messageId,
        );
      if (commit.ensureCase && !this.getCase(commit.ensureCase.number)) {
        this.upsertCase({ ...commit.ensureCase, caseworker: null, source: 'mail' }, at);
        this.insertEvent({
          kind: 'case-created',
          messageId: commit.messageId,
          caseNumber: commit.ensureCase.number,
          at,
          detail: { area: commit.ensureCase.area },
        });
      }
      this.insertDocuments(commit, at);
      this.addActions(commit.messageId, commit.actions, at);
      for (const event of commit.events)
        this.insertEvent({ ...event, messageId: commit.messageId, at });
    })();
    return this.getMessage(commit.messageId)!;
  }

  private insertDocuments(commit: DecisionCommit, at: string): void {
    if (commit.documents.length === 0) return;
    const caseNumber = commit.caseNumber;
    const akt = caseNumber
      ? Number(
          (
            this.one(
              'SELECT COALESCE(MAX(akt), 0) + 1 AS next FROM documents WHERE case_number = ?',
              caseNumber,
            ) as Row
          ).next,
        )
      : null;
    const insert = this.db.prepare(
      `INSERT INTO documents (case_number, area, akt, sub, kind, title, sender, dated, filename, content_type, size, sha256, note, message_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    commit.documents.forEach((doc, index) => {
      insert.run(
        caseNumber,
        commit.area,
        akt,
        index,
        doc.kind,
        doc.title,
        doc.sender,
        doc.dated,
        doc.filename,
        doc.contentType,
        doc.size,
        doc.sha256,
        doc.note,
        commit.messageId,
        at,
      );
    });
    this.insertEvent({
      kind: caseNumber ? 'journalised' : 'new-post',
      messageId: commit.messageId,
      caseNumber,
      at,
      detail: { akt, documents: commit.documents.length, area: commit.area },
    });
  }

  markDone(messageId: number, at: string): void {
    this.db
      .prepare(
        "UPDATE messages SET status = CASE WHEN status = 'decided' THEN 'done' ELSE status END, done_at = ? WHERE id = ?",
      )
      .run(at, messageId);
  }

  listMessages(filter: {
    status?: string;
    caseNumber?: string;
    limit?: number;
    since?: string;
  }): MessageRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown): void => {
      where.push(clause);
      params.push(value);
    };
    if (filter.status) add('status = ?', filter.status);
    if (filter.caseNumber) add('case_number = ?', filter.caseNumber);
    if (filter.since) add('received_at >= ?', filter.since);
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    return this.all(
      `SELECT * FROM messages ${clause} ORDER BY id LIMIT ?`,
      ...params,
      filter.limit ?? 1_000_000,
    ).map(toMessage);
  }

  undecided(): MessageRecord[] {
    return this.all("SELECT * FROM messages WHERE status = 'received' ORDER BY id").map(toMessage);
  }

  dueActions(now: string, limit: number): ActionRecord[] {
    return this.all(
      "SELECT * FROM actions WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?",
      now,
      limit,
    ).map(toAction);
  }

  actionsFor(messageId: number): ActionRecord[] {
    return this.all('SELECT * FROM actions WHERE message_id = ? ORDER BY id', messageId).map(
      toAction,
    );
  }

  addActions(messageId: number, actions: DecisionCommit['actions'], now: string): void {
    const insert = this.db.prepare(
      `INSERT INTO actions (message_id, kind, target, payload, idempotency_key, next_attempt_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`,
    );
    for (const action of actions) {
      insert.run(
        messageId,
        action.kind,
        action.target,
        action.payload ? JSON.stringify(action.payload) : null,
        action.idempotencyKey,
        now,
        now,
      );
    }
  }

  completeAction(id: number, at: string): void {
    this.db
      .prepare(
        "UPDATE actions SET status = 'done', attempts = attempts + 1, done_at = ?, last_error = NULL WHERE id = ?",
      )
      .run(at, id);
  }

  retryAction(id: number, error: string, nextAttemptAt: string): void {
    this.db
      .prepare(
        'UPDATE actions SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?',
      )
      .run(error, nextAttemptAt, id);
  }

  failAction(id: number, error: string): void {
    this.db
      .prepare(
        "UPDATE actions SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?",
      )
      .run(error, id);
  }

  getCase(number: string): CaseRecord | undefined {
    const row = this.one('SELECT * FROM cases WHERE number = ?', number);
    return row ? toCase(row) : undefined;
  }

  upsertCase(
    record: { number: string; area: string | null; caseworker: string | null; source: string },
    at: string,
  ): void {
    this.db
      .prepare(
        `INSERT INTO cases (number, area, caseworker, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (number) DO UPDATE SET area = COALESCE(excluded.area, cases.area),
           caseworker = COALESCE(excluded.caseworker, cases.caseworker), updated_at = excluded.updated_at`,
      )
      .run(record.number, record.area, record.caseworker, record.source, at, at);
  }

  listCases(): (CaseRecord & { documents: number; lastDocumentAt: string | null })[] {
    return this.all(
      `SELECT c.*, COUNT(d.id) AS documents, MAX(d.created_at) AS last_document_at
       FROM cases c LEFT JOIN documents d ON d.case_number = c.number GROUP BY c.number ORDER BY c.number`,
    ).map((row) => ({
      ...toCase(row),
      documents: Number(row.documents),
      lastDocumentAt: (row.last_document_at as string | null) ?? null,
    }));
  }

  caseDocuments(number: string): DocumentRecord[] {
    return this.all('SELECT * FROM documents WHERE case_number = ? ORDER BY akt, sub', number).map(
      toDocument,
    );
  }

  messageDocuments(messageId: number): DocumentRecord[] {
    return this.all('SELECT * FROM documents WHERE message_id = ? ORDER BY sub', messageId).map(
      toDocument,
    );
  }

  newPost(area: string | null): DocumentRecord[] {
    const rows =
      area === null
        ? this.all('SELECT * FROM documents WHERE case_number IS NULL ORDER BY id')
        : this.all(
            'SELECT * FROM documents WHERE case_number IS NULL AND area = ? ORDER BY id',
            area,
          );
    return rows.map(toDocument);
  }

  private insertEvent(event: NewEvent & { messageId?: number | null; at: string }): void {
    this.db
      .prepare(
        'INSERT INTO events (at, actor, kind, message_id, case_number, detail) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(
        event.at,
        event.actor ?? 'postrobot',
        event.kind,
        event.messageId ?? null,
        event.caseNumber ?? null,
        event.detail ? JSON.stringify(event.detail) : null,
      );
  }

  addEvent(event: NewEvent & { messageId?: number | null; at: string }): void {
    this.insertEvent(event);
  }

  events(filter: { messageId?: number; caseNumber?: string; limit?: number }): EventRecord[] {
    if (filter.messageId !== undefined)
      return this.all(
        'SELECT * FROM events WHERE message_id = ? ORDER BY id LIMIT ?',
        filter.messageId,
        filter.limit ?? 10_000,
      ).map(toEvent);
    if (filter.caseNumber !== undefined) {
      return this.all(
        `SELECT * FROM events WHERE case_number = ? OR message_id IN (SELECT id FROM messages WHERE case_number = ?) ORDER BY id LIMIT ?`,
        filter.caseNumber,
        filter.caseNumber,
        filter.limit ?? 10_000,
      ).map(toEvent);
    }
    return this.all('SELECT * FROM events ORDER BY id DESC LIMIT ?', filter.limit ?? 100).map(
      toEvent,
    );
  }

  addTrainingExample(
    example: {
      messageId: number | null;
      sha256: string;
      area: string;
      source: string;
      confirmedBy: string | null;
    },
    at: string,
  ): boolean {
    const info = this.db
      .prepare(
        'INSERT INTO training_examples (message_id, sha256, area, source, confirmed_by, at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sha256, area) DO NOTHING',
      )
      .run(
        example.messageId,
        example.sha256,
        example.area,
        example.source,
        example.confirmedBy,
        at,
      );
    return info.changes > 0;
  }

  listTrainingExamples(): { sha256: string; area: string; source: string; at: string }[] {
    return this.all('SELECT sha256, area, source, at FROM training_examples ORDER BY id') as {
      sha256: string;
      area: string;
      source: string;
      at: string;
    }[];
  }

  stats(): JournalStats {
    const count = (sql: string): Record<string, number> =>
      Object.fromEntries(this.all(sql).map((row) => [String(row.k), Number(row.n)]));
    return {
      byStatus: count('SELECT status AS k, COUNT(*) AS n FROM messages GROUP BY status'),
      byDecision: count(
        'SELECT decision AS k, COUNT(*) AS n FROM messages WHERE decision IS NOT NULL GROUP BY decision',
      ),
      routedByArea: count(
        "SELECT area AS k, COUNT(*) AS n FROM messages WHERE decision = 'route' GROUP BY area",
      ),
      pendingActions: Number(
        this.one("SELECT COUNT(*) AS n FROM actions WHERE status = 'pending'")?.n ?? 0,
      ),
      failedActions: Number(
        this.one("SELECT COUNT(*) AS n FROM actions WHERE status = 'failed'")?.n ?? 0,
      ),
      cases: Number(this.one('SELECT COUNT(*) AS n FROM cases')?.n ?? 0),
      documents: Number(this.one('SELECT COUNT(*) AS n FROM documents')?.n ?? 0),
      lastReceivedAt:
        (this.one('SELECT MAX(received_at) AS m FROM messages')?.m as string | null) ?? null,
    };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
