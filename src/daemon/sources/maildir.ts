import { existsSync, mkdirSync, readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { MailLocator } from '../../types.js';
import type { MailSource, SourceItem } from '../ports.js';

const SUBDIRS = ['tmp', 'new', 'cur'] as const;

/** Creates a Maildir (tmp/, new/, cur/) with mode 0700 when it is missing. */
export function ensureMaildir(dir: string): void {
  for (const sub of SUBDIRS) mkdirSync(join(dir, sub), { recursive: true, mode: 0o700 });
}

/** The unique part of a Maildir file name (before the ":2," info). */
export function uniqueName(fileName: string): string {
  const colon = fileName.indexOf(':');
  return colon >= 0 ? fileName.slice(0, colon) : fileName;
}

/** Maildir++ subfolder of a root Maildir: "Børn og unge" → <root>/.Børn og unge */
export function subfolderPath(root: string, folder: string): string {
  return join(root, `.${folder}`);
}

/** Finds the file of a unique name in new/ or cur/ of a Maildir. */
export async function locateMaildirFile(dir: string, unique: string): Promise<string | null> {
  // The names this project writes first: a stat each, instead of reading the folders.
  for (const guess of [join(dir, 'cur', `${unique}:2,`), join(dir, 'new', unique)]) {
    if (existsSync(guess)) return guess;
  }
  for (const sub of ['new', 'cur']) {
    let names: string[];
    try {
      names = readdirSync(join(dir, sub));
    } catch {
      continue;
    }
    const found = names.find((name) => uniqueName(name) === unique);
    if (found) return join(dir, sub, found);
  }
  return null;
}

/**
 * The embedded default source: a Maildir inbox. New mail lands in new/; once its ledger
 * row is committed it is claimed into cur/ (the Maildir way of saying "seen").
 */
export class MaildirSource implements MailSource {
  readonly description: string;
  private watcher: FSWatcher | null = null;
  private changed = false;
  private wake: (() => void) | null = null;

  constructor(readonly dir: string) {
    ensureMaildir(dir);
    this.description = `maildir ${dir}`;
  }

  private locator(unique: string): MailLocator {
    return { account: 'maildir', mailbox: 'INBOX', uidValidity: 0, uid: unique };
  }

  async list(): Promise<SourceItem[]> {
    const entries: { path: string; unique: string; mtime: number }[] = [];
    for (const sub of ['new', 'cur']) {
      const folder = join(this.dir, sub);
      for (const name of readdirSync(folder)) {
        if (name.startsWith('.')) continue;
        const path = join(folder, name);
        try {
          const info = statSync(path);
          if (info.isFile()) entries.push({ path, unique: uniqueName(name), mtime: info.mtimeMs });
        } catch {
          // Moved away between readdir and stat: it is someone else's now.
        }
      }
    }
    entries.sort((a, b) => a.mtime - b.mtime || a.unique.localeCompare(b.unique));
    return entries.map((entry) => ({
      locator: this.locator(entry.unique),
      read: async () => {
        const path = (await locateMaildirFile(this.dir, entry.unique)) ?? entry.path;
        return readFile(path);
      },
    }));
  }

  async claim(item: SourceItem): Promise<void> {
    const path = join(this.dir, 'new');
    let names: string[];
    try {
      names = readdirSync(path);
    } catch {
      return;
    }
    const name = names.find((candidate) => uniqueName(candidate) === item.locator.uid);
    if (!name) return;
    const target = join(this.dir, 'cur', `${uniqueName(name)}:2,`);
    await rename(join(path, name), target).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' && (await stat(target).catch(() => null))) return;
      throw error;
    });
  }

  async waitForChange(timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (!this.watcher) {
      try {
        this.watcher = watch(join(this.dir, 'new'), () => {
          this.changed = true;
          this.wake?.();
        });
        this.watcher.unref();
      } catch {
        this.watcher = null;
      }
    }
    if (this.changed) {
      this.changed = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wake = null;
        this.changed = false;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }

  async close(): Promise<void> {
    this.watcher?.close();
    this.watcher = null;
    this.wake?.();
  }
}
