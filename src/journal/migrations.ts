/**
 * Numbered schema migrations, applied in order at start-up. Only ever append: a
 * migration that has shipped is never edited, because databases in the field have
 * already run it.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'ledger, outbox, cases, documents, events',
    sql: `
CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  account TEXT NOT NULL,
  mailbox TEXT NOT NULL,
  uid_validity INTEGER NOT NULL,
  uid TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  message_id TEXT,
  received_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('received', 'decided', 'done', 'quarantined', 'duplicate')),
  duplicate_of INTEGER REFERENCES messages(id),
  subject TEXT,
  sender TEXT,
  sent_at TEXT,
  decision TEXT CHECK (decision IN ('route', 'manual', 'quarantine')),
  area TEXT,
  confidence REAL,
  case_number TEXT,
  folder TEXT,
  reasons TEXT,
  automatic TEXT,
  error_code TEXT,
  error TEXT,
  shadow INTEGER NOT NULL DEFAULT 0,
  decided_at TEXT,
  done_at TEXT,
  UNIQUE (account, mailbox, uid_validity, uid)
);
CREATE INDEX messages_sha256 ON messages(sha256);
CREATE INDEX messages_message_id ON messages(message_id);
CREATE INDEX messages_status ON messages(status);
CREATE INDEX messages_case ON messages(case_number);

CREATE TABLE actions (
  id INTEGER PRIMARY KEY,
  message_id INTEGER NOT NULL REFERENCES messages(id),
  kind TEXT NOT NULL CHECK (kind IN ('move', 'forward', 'notify')),
  target TEXT NOT NULL,
  payload TEXT,
  idempotency_key TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  last_error TEXT,
  created_at TEXT NOT NULL,
  done_at TEXT
);
CREATE INDEX actions_due ON actions(status, next_attempt_at);
CREATE INDEX actions_message ON actions(message_id);

CREATE TABLE cases (
  number TEXT PRIMARY KEY,
  area TEXT,
  caseworker TEXT,
  source TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  case_number TEXT REFERENCES cases(number),
  area TEXT,
  akt INTEGER,
  sub INTEGER NOT NULL DEFAULT 0,
  kind TEXT NOT NULL CHECK (kind IN ('mail', 'attachment')),
  title TEXT NOT NULL,
  sender TEXT,
  dated TEXT,
  filename TEXT,
  content_type TEXT,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  pdf_sha256 TEXT,
  note TEXT,
  message_id INTEGER NOT NULL REFERENCES messages(id),
  created_at TEXT NOT NULL,
  UNIQUE (case_number, akt, sub)
);
CREATE INDEX documents_case ON documents(case_number, akt, sub);
CREATE INDEX documents_message ON documents(message_id);

CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  kind TEXT NOT NULL,
  message_id INTEGER,
  case_number TEXT,
  detail TEXT
);
CREATE INDEX events_message ON events(message_id);
CREATE INDEX events_case ON events(case_number);
CREATE TRIGGER events_append_only BEFORE UPDATE ON events
BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

CREATE TABLE training_examples (
  id INTEGER PRIMARY KEY,
  message_id INTEGER REFERENCES messages(id),
  sha256 TEXT NOT NULL,
  area TEXT NOT NULL,
  source TEXT NOT NULL,
  confirmed_by TEXT,
  at TEXT NOT NULL,
  UNIQUE (sha256, area)
);

CREATE TABLE model_versions (
  id INTEGER PRIMARY KEY,
  version TEXT NOT NULL,
  checksum TEXT,
  trained_at TEXT,
  coverage REAL,
  precision REAL,
  installed_at TEXT NOT NULL,
  note TEXT
);
`,
  },
  {
    version: 4,
    name: 'source state (last UIDVALIDITY) and the content key of each mail',
    sql: `
CREATE TABLE source_state (
  account TEXT NOT NULL,
  mailbox TEXT NOT NULL,
  uid_validity INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (account, mailbox)
);
ALTER TABLE messages ADD COLUMN content_key TEXT;
CREATE INDEX messages_content_key ON messages(content_key);
`,
  },
  {
    // Version 5 belongs to the operations part (src/ops); 2–4 are taken by other parts.
    version: 5,
    name: 'operations: cursors, CPR look-up index, retention',
    sql: `
CREATE TABLE ops_cursors (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL,
  at TEXT NOT NULL
);
-- Post that is already in the journal when this version arrives has been seen by people:
-- notices and digests start from here instead of flooding the caseworkers.
INSERT INTO ops_cursors (name, value, at)
  SELECT 'notices', COALESCE(MAX(id), 0), strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM documents;
INSERT INTO ops_cursors (name, value, at)
  SELECT 'digest', COALESCE(MAX(id), 0), strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM documents;

-- Keyed hashes (HMAC) of the CPR numbers a mail mentions: answers data-subject requests
-- without the journal ever holding a number.
CREATE TABLE message_cpr (
  hash TEXT NOT NULL,
  message_id INTEGER NOT NULL REFERENCES messages(id),
  at TEXT NOT NULL,
  PRIMARY KEY (hash, message_id)
);
CREATE INDEX message_cpr_at ON message_cpr(at);

ALTER TABLE messages ADD COLUMN raw_deleted_at TEXT;
CREATE INDEX messages_received ON messages(received_at);
CREATE INDEX events_at ON events(at);
CREATE INDEX documents_created ON documents(created_at);
`,
  },
];
