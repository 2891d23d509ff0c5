import type { MailLocator } from '../types.js';
import { JournalError } from '../errors.js';
import type { Statement } from 'better-sqlite3';
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
  OpsCounts,
  QueuedNotice,
} from './records.js';
import { toAction, toCase, toDocument, toEvent, toMessage } from './rows.js';

type Row = Record<string, unknown>;

/** The journal on SQLite (better-sqlite3): every multi-row change is one transaction. */
export class SqliteJournal implements Journal {
  private readonly db: Db;
  /** Prepared statements by SQL text: preparing was a good part of each mail's cost. */
  private readonly statements = new Map<string, Statement>();

  constructor(file: string) {
    this.db = openDatabase(file);
  }

  private prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private one(sql: string, ...params: unknown[]): Row | undefined {
    return this.prepare(sql).get(...params) as Row | undefined;
  }

  private all(sql: string, ...params: unknown[]): Row[] {
    return this.prepare(sql).all(...params) as Row[];
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

  findOriginalBySha(sha256: string, contentKey?: string): MessageRecord | undefined {
    const row = this.one(
      "SELECT * FROM messages WHERE (sha256 = ? OR content_key = ?) AND status != 'duplicate' ORDER BY id LIMIT 1",
      sha256,
      contentKey ?? sha256,
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
    // One transaction, one fsync: the ledger row and its audit event together.
    return this.db.transaction(() => this.insertReceived(input, duplicateOf))();
  }

  private insertReceived(input: ReceivedInput, duplicateOf: MessageRecord | null): MessageRecord {
    const { locator } = input;
    const info = this.prepare(
      `INSERT INTO messages (account, mailbox, uid_validity, uid, sha256, content_key, size, received_at, status, duplicate_of)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      locator.account,
      locator.mailbox,
      locator.uidValidity,
      locator.uid,
      input.sha256,
      input.contentKey ?? null,
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
    const insert = this.prepare(
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
    this.prepare(
      "UPDATE messages SET status = CASE WHEN status = 'decided' THEN 'done' ELSE status END, done_at = ? WHERE id = ?",
    ).run(at, messageId);
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
    const insert = this.prepare(
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
    // The action, its audit event and (when it was the last) the mail's "done" in one commit.
    this.db.transaction(() => {
      this.db
        .prepare(
          "UPDATE actions SET status = 'done', attempts = attempts + 1, done_at = ?, last_error = NULL WHERE id = ?",
        )
        .run(at, id);
      const action = this.one('SELECT message_id, kind, target FROM actions WHERE id = ?', id);
      if (!action) return;
      const messageId = Number(action.message_id);
      this.insertEvent({
        kind: 'action-done',
        messageId,
        at,
        detail: { action: action.kind, target: action.target },
      });
      const open = this.one(
        "SELECT COUNT(*) AS n FROM actions WHERE message_id = ? AND status != 'done'",
        messageId,
      );
      if (Number(open?.n ?? 0) === 0) this.markDone(messageId, at);
    })();
  }

  retryAction(id: number, error: string, nextAttemptAt: string): void {
    this.prepare(
      'UPDATE actions SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?',
    ).run(error, nextAttemptAt, id);
  }

  failAction(id: number, error: string): void {
    this.prepare(
      "UPDATE actions SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?",
    ).run(error, id);
  }

  getCase(number: string): CaseRecord | undefined {
    const row = this.one('SELECT * FROM cases WHERE number = ?', number);
    return row ? toCase(row) : undefined;
  }

  upsertCase(
    record: { number: string; area: string | null; caseworker: string | null; source: string },
    at: string,
  ): void {
    this.prepare(
      `INSERT INTO cases (number, area, caseworker, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (number) DO UPDATE SET area = COALESCE(excluded.area, cases.area),
           caseworker = COALESCE(excluded.caseworker, cases.caseworker), updated_at = excluded.updated_at`,
    ).run(record.number, record.area, record.caseworker, record.source, at, at);
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

  setDocumentPdf(documentId: number, pdfSha256: string, note: string | null): void {
    this.prepare('UPDATE documents SET pdf_sha256 = ?, note = COALESCE(?, note) WHERE id = ?').run(
      pdfSha256,
      note,
      documentId,
    );
  }

  attachToCase(messageId: number, caseNumber: string, at: string, actor: string): DocumentRecord[] {
    return this.db.transaction(() => {
      const documents = this.messageDocuments(messageId);
      if (documents.length === 0)
        throw new JournalError(`mail ${messageId} has no documents to file`);
      const elsewhere = documents.find((d) => d.caseNumber !== null && d.caseNumber !== caseNumber);
      if (elsewhere)
        throw new JournalError(
          `mail ${messageId} is already filed on case ${elsewhere.caseNumber}`,
        );
      if (documents.every((d) => d.caseNumber === caseNumber)) return documents;
      if (!this.getCase(caseNumber)) {
        this.upsertCase(
          {
            number: caseNumber,
            area: documents[0]?.area ?? null,
            caseworker: null,
            source: 'attach',
          },
          at,
        );
      }
      const next = Number(
        (
          this.one(
            'SELECT COALESCE(MAX(akt), 0) + 1 AS next FROM documents WHERE case_number = ?',
            caseNumber,
          ) as Row
        ).next,
      );
      this.db
        .prepare(
          'UPDATE documents SET case_number = ?, akt = ? WHERE message_id = ? AND case_number IS NULL',
        )
        .run(caseNumber, next, messageId);
      this.db
        .prepare('UPDATE messages SET case_number = ? WHERE id = ? AND case_number IS NULL')
        .run(caseNumber, messageId);
      this.insertEvent({
        kind: 'attached-to-case',
        actor,
        messageId,
        caseNumber,
        at,
        detail: { akt: next },
      });
      return this.messageDocuments(messageId);
    })();
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
    this.prepare(
      'INSERT INTO events (at, actor, kind, message_id, case_number, detail) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(
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

  cursor(name: string): number {
    return Number(this.one('SELECT value FROM ops_cursors WHERE name = ?', name)?.value ?? 0);
  }

  setCursor(name: string, value: number, at: string): void {
    this.prepare(
      `INSERT INTO ops_cursors (name, value, at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value, at = excluded.at`,
    ).run(name, value, at);
  }

  documentsAfter(afterId: number, limit: number): DocumentRecord[] {
    return this.all('SELECT * FROM documents WHERE id > ? ORDER BY id LIMIT ?', afterId, limit).map(
      toDocument,
    );
  }

  queueNotices(cursor: { name: string; value: number }, notices: QueuedNotice[], at: string): void {
    this.db.transaction(() => {
      for (const notice of notices) {
        this.addActions(notice.messageId, [notice.action], at);
        this.insertEvent({
          kind: 'notice-queued',
          messageId: notice.messageId,
          caseNumber: notice.caseNumber,
          at,
          detail: { to: notice.action.target, ...notice.action.payload },
        });
      }
      this.setCursor(cursor.name, cursor.value, at);
    })();
  }

  eventsAfter(afterId: number, kinds: string[], limit: number): EventRecord[] {
    const marks = kinds.map(() => '?').join(', ');
    return this.all(
      `SELECT * FROM events WHERE id > ? AND kind IN (${marks}) ORDER BY id LIMIT ?`,
      afterId,
      ...kinds,
      limit,
    ).map(toEvent);
  }

  actionsCreatedSince(since: string): ActionRecord[] {
    return this.all('SELECT * FROM actions WHERE created_at >= ? ORDER BY id', since).map(toAction);
  }

  opsCounts(): OpsCounts {
    return {
      decisions: this.all(
        `SELECT decision, area, shadow, COUNT(*) AS n FROM messages WHERE decision IS NOT NULL
         GROUP BY decision, area, shadow`,
      ).map((row) => ({
        decision: String(row.decision),
        area: (row.area as string | null) ?? null,
        shadow: Number(row.shadow) === 1,
        count: Number(row.n),
      })),
      actions: this.all(
        'SELECT kind, status, COUNT(*) AS n, SUM(attempts) AS attempts FROM actions GROUP BY kind, status',
      ).map((row) => ({
        kind: String(row.kind),
        status: String(row.status),
        count: Number(row.n),
        attempts: Number(row.attempts ?? 0),
      })),
    };
  }

  addCprHashes(messageId: number, hashes: string[], at: string): void {
    const insert = this.prepare(
      'INSERT INTO message_cpr (hash, message_id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    );
    this.db.transaction(() => {
      for (const hash of hashes) insert.run(hash, messageId, at);
    })();
  }

  messagesWithCprHash(hash: string): number[] {
    return this.all(
      'SELECT message_id FROM message_cpr WHERE hash = ? ORDER BY message_id',
      hash,
    ).map((row) => Number(row.message_id));
  }

  expiredRawMail(before: string, limit: number): { id: number; sha256: string; shared: boolean }[] {
    return this.all(
      `SELECT m.id, m.sha256, EXISTS (SELECT 1 FROM messages k WHERE k.sha256 = m.sha256
         AND k.raw_deleted_at IS NULL AND k.received_at >= ?) AS shared
       FROM messages m WHERE m.received_at < ? AND m.raw_deleted_at IS NULL ORDER BY m.id LIMIT ?`,
      before,
      before,
      limit,
    ).map((row) => ({
      id: Number(row.id),
      sha256: String(row.sha256),
      shared: Number(row.shared) === 1,
    }));
  }

  markRawMailDeleted(ids: number[], at: string): void {
    const update = this.prepare('UPDATE messages SET raw_deleted_at = ? WHERE id = ?');
    this.db.transaction(() => {
      for (const id of ids) update.run(at, id);
    })();
  }

  expiredDocuments(
    before: string,
    limit: number,
  ): (DocumentRecord & { shared: boolean; pdfShared: boolean })[] {
    return this.all(
      `WITH expired AS (
         SELECT d.id FROM documents d
         WHERE (d.case_number IS NULL AND d.created_at < ?)
            OR (d.case_number IS NOT NULL
                AND (SELECT MAX(x.created_at) FROM documents x WHERE x.case_number = d.case_number) < ?))
       SELECT d.*,
         EXISTS (SELECT 1 FROM documents o WHERE o.sha256 = d.sha256 AND o.id NOT IN expired) AS shared,
         EXISTS (SELECT 1 FROM documents o WHERE o.pdf_sha256 = d.pdf_sha256 AND o.id NOT IN expired) AS pdf_shared
       FROM documents d WHERE d.id IN expired ORDER BY d.id LIMIT ?`,
      before,
      before,
      limit,
    ).map((row) => ({
      ...toDocument(row),
      shared: Number(row.shared) === 1,
      pdfShared: Number(row.pdf_shared) === 1,
    }));
  }

  deleteDocuments(ids: number[]): void {
    const remove = this.prepare('DELETE FROM documents WHERE id = ?');
    this.db.transaction(() => {
      for (const id of ids) remove.run(id);
    })();
  }

  deleteEventsBefore(before: string): { events: number; cprIndex: number } {
    return this.db.transaction(() => ({
      events: this.prepare('DELETE FROM events WHERE at < ?').run(before).changes,
      cprIndex: this.prepare('DELETE FROM message_cpr WHERE at < ?').run(before).changes,
    }))();
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
    const info = this.prepare(
      'INSERT INTO training_examples (message_id, sha256, area, source, confirmed_by, at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sha256, area) DO NOTHING',
    ).run(example.messageId, example.sha256, example.area, example.source, example.confirmedBy, at);
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

  quarantineMessage(
    messageId: number,
    folder: string,
    error: { code: string; message: string },
    at: string,
  ): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          "UPDATE messages SET status = 'quarantined', decision = 'quarantine', folder = ?, error_code = ?, error = ? WHERE id = ?",
        )
        .run(folder, error.code, error.message, messageId);
      this.db
        .prepare(
          "UPDATE actions SET target = ? WHERE message_id = ? AND kind = 'move' AND status = 'pending'",
        )
        .run(folder, messageId);
      this.insertEvent({
        kind: 'quarantined',
        messageId,
        at,
        detail: { error: error.code, reason: error.message, folder },
      });
    })();
  }

  lastUidValidity(account: string, mailbox: string): number | null {
    const row = this.one(
      'SELECT uid_validity FROM source_state WHERE account = ? AND mailbox = ?',
      account,
      mailbox,
    );
    return row ? Number(row.uid_validity) : null;
  }

  saveUidValidity(account: string, mailbox: string, uidValidity: number, at: string): void {
    this.prepare(
      `INSERT INTO source_state (account, mailbox, uid_validity, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (account, mailbox) DO UPDATE SET uid_validity = excluded.uid_validity, updated_at = excluded.updated_at`,
    ).run(account, mailbox, uidValidity, at);
  }

  beginBatch(): void {
    if (!this.db.inTransaction) this.db.exec('BEGIN IMMEDIATE');
  }

  commitBatch(): void {
    if (this.db.inTransaction) this.db.exec('COMMIT');
  }

  rollbackBatch(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }

  checkpoint(): void {
    if (!this.db.inTransaction) return;
    this.db.exec('COMMIT');
    this.db.exec('BEGIN IMMEDIATE');
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
