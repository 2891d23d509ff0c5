import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
  existsSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** sha256 of some bytes, hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsync of a file or folder, off the event loop (libuv's thread pool). */
async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes a file so that a crash leaves either the old file or the complete new one:
 * temp file in the same folder, fsync, rename, fsync of the folder. Mode 0600.
 */
export function writeFileAtomic(file: string, bytes: Uint8Array, durable = true): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  if (durable) fsyncDir(dir);
}

/**
 * A content-addressed store: each blob is kept once under its sha256
 * (`ab/cd/abcd….<ext>`), files 0600 and folders 0700.
 *
 * Group commit: between `beginBatch()` and `flush()` a durable blob is written without
 * its own fsyncs; `flush()` then fsyncs every such file and its folders at once, in the
 * thread pool. The caller flushes before it commits the ledger rows that name the blobs,
 * so the promise is the same as blob by blob: no row points at bytes a crash can lose.
 */
export class BlobStore {
  /** Inside a batch: the files and folders whose fsync waits for flush(); null outside one. */
  private pending: { files: Set<string>; dirs: Set<string> } | null = null;

  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true, mode: 0o700 });
  }

  pathOf(sha256: string, ext = 'bin'): string {
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), `${sha256}.${ext}`);
  }

  /**
   * Stores the bytes (once) and returns their sha256. `durable: false` skips the fsyncs,
   * for what can be derived again from a durable blob (attachments of a stored mail).
   */
  put(bytes: Uint8Array, ext = 'bin', options: { durable?: boolean } = {}): string {
    const sha = sha256Hex(bytes);
    const file = this.pathOf(sha, ext);
    const durable = options.durable ?? true;
    const pending = durable ? this.pending : null;
    if (existsSync(file) && statSync(file).size === bytes.length) {
      // Found (a second copy, or written before a crash): synced with the batch all the same.
      pending?.files.add(file);
      pending?.dirs.add(dirname(file));
      return sha;
    }
    const dir = dirname(file);
    const created = mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (pending) {
      writeFileAtomic(file, bytes, false);
      pending.files.add(file);
      pending.dirs.add(dir);
      // A folder made now is an entry in its parent, which must reach the disk too.
      if (created) for (let d = dir; d !== this.root; d = dirname(d)) pending.dirs.add(dirname(d));
    } else {
      writeFileAtomic(file, bytes, durable);
    }
    return sha;
  }

  /** Starts a batch: durable blobs are synced by flush(), not one by one. */
  beginBatch(): void {
    this.pending ??= { files: new Set(), dirs: new Set() };
  }

  /** Makes every durable blob of the batch durable (files, then their folders) and ends the batch. */
  async flush(): Promise<void> {
    const pending = this.pending;
    this.pending = null;
    if (!pending) return;
    await Promise.all([...pending.files].map(fsyncPath));
    await Promise.all([...pending.dirs].map(fsyncPath));
  }

  /** Ends a batch without syncing (its ledger rows are rolled back; the files are harmless). */
  abandonBatch(): void {
    this.pending = null;
  }

  has(sha256: string, ext = 'bin'): boolean {
    return existsSync(this.pathOf(sha256, ext));
  }

  read(sha256: string, ext = 'bin'): Buffer {
    return readFileSync(this.pathOf(sha256, ext));
  }
}
