import Database from 'better-sqlite3';
import { chmodSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { AlreadyRunningError } from '../errors.js';

function ownerOf(pidFile: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(pidFile, 'utf8'), 10);
    return Number.isFinite(pid) ? pid : null;
  } catch {
    return null;
  }
}

/**
 * The pid in the pid file, when that process is alive: a holder killed with -9 leaves its
 * pid file, and a refusal in the moment before the new holder writes its own would
 * otherwise name the dead one.
 */
function liveOwnerOf(pidFile: string): number | null {
  const pid = ownerOf(pidFile);
  if (pid === null) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

/**
 * A single-instance lock that the kernel holds: an exclusive SQLite transaction on a file
 * of its own (`<dataDir>/postrobot.lock.db`), open for as long as the process runs. The
 * operating system lets go of it however the process ends (kill -9, power loss), so
 * there is no stale lock to take over, and no moment in which two processes started
 * together can both believe they won: the pid file that an earlier version used as the
 * lock let a second starter read it empty, call it stale and take it over.
 *
 * The owner's pid goes to `<dataDir>/postrobot.pid`, only so that a refusal can name it.
 */
export class InstanceLock {
  private db: Database.Database | null = null;

  constructor(
    readonly file: string,
    readonly pidFile: string,
    readonly what: string,
  ) {}

  acquire(): void {
    if (this.db) return;
    const db = new Database(this.file, { timeout: 0 });
    try {
      chmodSync(this.file, 0o600);
      db.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code !== 'SQLITE_BUSY') {
        throw new AlreadyRunningError(
          `cannot take the lock ${this.file} (${(error as Error).message}); if no postrobot is running on ${this.what}, remove that file`,
        );
      }
      const owner = liveOwnerOf(this.pidFile);
      throw new AlreadyRunningError(
        `another postrobot${owner === null ? '' : ` (pid ${owner})`} is already running on ${this.what}; stop it first, or give this one another data directory`,
      );
    }
    this.db = db;
    const staging = `${this.pidFile}.${process.pid}`;
    writeFileSync(staging, `${process.pid}\n`, { mode: 0o600 });
    renameSync(staging, this.pidFile);
  }

  release(): void {
    if (!this.db) return;
    try {
      if (ownerOf(this.pidFile) === process.pid) unlinkSync(this.pidFile);
    } catch {
      // Already gone.
    }
    // Closing the connection ends the transaction, and with it the lock.
    this.db.close();
    this.db = null;
  }
}
