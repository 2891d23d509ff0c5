import Database from 'better-sqlite3';
import { chmodSync, existsSync } from 'node:fs';
import { JournalError } from '../errors.js';
import { MIGRATIONS, type Migration } from './migrations.js';

export type Db = Database.Database;

function appliedVersions(db: Db): Set<number> {
  return new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
      (row) => row.version,
    ),
  );
}

/**
 * Applies the migrations not yet applied, each in an IMMEDIATE transaction that checks
 * again inside it: a second process opening the same journal at the same moment (a
 * `postrobot status` while the daemon starts on a new data directory) waits for the
 * first one's migration instead of running it twice.
 */
function applyMigrations(db: Db, migrations: Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = appliedVersions(db);
  const newest = Math.max(0, ...applied);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (newest > known) {
    throw new JournalError(
      `the database has schema version ${newest}, newer than this postrobot knows (${known}); upgrade postrobot`,
    );
  }
  for (const migration of migrations) {
    // Checked outside first, so that opening an up-to-date journal takes no write lock.
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      if (appliedVersions(db).has(migration.version)) return;
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
    }).immediate();
  }
}

/** Opens (or creates) the journal database: WAL, synchronous=FULL, foreign keys, migrations. */
export function openDatabase(file: string, migrations: Migration[] = MIGRATIONS): Db {
  const isNew = file !== ':memory:' && !existsSync(file);
  let db: Db;
  try {
    db = new Database(file);
  } catch (error) {
    throw new JournalError(`cannot open the journal database ${file}`, error);
  }
  if (isNew) chmodSync(file, 0o600);
  // First, so that everything below waits for a second process instead of failing.
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  applyMigrations(db, migrations);
  return db;
}
