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
 */
export class BlobStore {
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
    if (existsSync(file) && statSync(file).size === bytes.length) return sha;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileAtomic(file, bytes, options.durable ?? true);
    return sha;
  }

  has(sha256: string, ext = 'bin'): boolean {
    return existsSync(this.pathOf(sha256, ext));
  }

  read(sha256: string, ext = 'bin'): Buffer {
    return readFileSync(this.pathOf(sha256, ext));
  }
}
