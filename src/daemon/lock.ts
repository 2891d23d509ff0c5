import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { AlreadyRunningError } from '../errors.js';

/** A process's start time (Linux /proc), so that a reused pid is not taken for the old owner. */
function startTimeOf(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

function alive(pid: number, startTime: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return startTime === '' || startTimeOf(pid) === '' || startTimeOf(pid) === startTime;
}

/**
 * A single-instance lock: a file holding the owner's pid, created exclusively. A lock
 * left by a process that is gone (kill -9, power loss) is taken over.
 */
export class InstanceLock {
  private held = false;

  constructor(
    readonly file: string,
    readonly what: string,
  ) {}

  acquire(): void {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        const fd = openSync(this.file, 'wx', 0o600);
        writeSync(fd, `${process.pid} ${startTimeOf(process.pid)}\n`);
        closeSync(fd);
        this.held = true;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const [pidText = '', startTime = ''] = readFileSync(this.file, 'utf8').trim().split(' ');
        const owner = Number.parseInt(pidText, 10);
        if (Number.isFinite(owner) && alive(owner, startTime)) {
          throw new AlreadyRunningError(
            `another postrobot (pid ${owner}) is already running on ${this.what}; stop it first, or give this one another data directory`,
          );
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
