import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { AlreadyRunningError } from '../errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A single-instance lock: a file holding the owner's pid, created exclusively. A lock
 * left by a process that is gone (kill -9, power loss) is taken over.
 */
export class InstanceLock {
  private held = false;

  constructor(readonly file: string, readonly what: string) {}

  acquire(): void {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        const fd = openSync(this.file, 'wx', 0o600);
        writeSync(fd, `${process.pid}\n`);
        closeSync(fd);
        this.held = true;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = Number.parseInt(readFileSync(this.file, 'utf8'), 10);
        if (Number.isFinite(owner) && owner !== process.pid && alive(owner)) {
          throw new AlreadyRunningError(`another postrobot (pid ${owner}) is already running on ${this.what}; stop it first, or give this one another data directory`);
        }
        try {
          unlinkSync(this.file);
        } catch {
          // Someone else took it over in between; the next attempt decides.
        }
      }
    }
    throw new AlreadyRunningError(`cannot take the lock ${this.file}`);
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    try {
      unlinkSync(this.file);
    } catch {
      // Already gone.
    }
  }
}
