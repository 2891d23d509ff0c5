import { chmodSync, copyFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Journal } from '../journal/journal.js';
import { readCasesCsv } from '../journal/case-import.js';
import { ensureMaildir } from './sources/maildir.js';

function emlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return emlFiles(path);
      return name.endsWith('.eml') ? [path] : [];
    });
}

/**
 * How many mails of each fixture folder go into the example inbox. The folders hold far
 * more (the classifier's training data, 200 an area); the first sixty of each plus the
 * pipeline scenarios show every kind of mail without the demo taking many minutes.
 */
const DEMO_MAILS_PER_FOLDER = 60;

/** The first DEMO_MAILS_PER_FOLDER mails (by name) of each folder under `mailsDir`. */
export function demoMails(mailsDir: string): string[] {
  if (!existsSync(mailsDir)) return [];
  return readdirSync(mailsDir)
    .sort()
    .filter((name) => statSync(join(mailsDir, name)).isDirectory())
    .flatMap((name) => emlFiles(join(mailsDir, name)).slice(0, DEMO_MAILS_PER_FOLDER));
}

function isEmptyMaildir(dir: string): boolean {
  return ['new', 'cur'].every(
    (sub) => !existsSync(join(dir, sub)) || readdirSync(join(dir, sub)).length === 0,
  );
}

/**
 * Seeds the embedded inbox with the bundled example mails and the example case register,
 * but only on a fresh start: an empty inbox and an empty ledger. Returns how many mails.
 */
export function seedDemo(
  fixturesDir: string,
  inboxDir: string,
  journal: Journal,
  areaIds: ReadonlySet<string>,
): number {
  ensureMaildir(inboxDir);
  if (!isEmptyMaildir(inboxDir) || journal.listMessages({ limit: 1 }).length > 0) return 0;
  const casesDir = join(fixturesDir, 'cases');
  const at = new Date().toISOString();
  if (existsSync(casesDir)) {
    for (const name of readdirSync(casesDir)
      .filter((n) => n.endsWith('.csv'))
      .sort()) {
      for (const row of readCasesCsv(join(casesDir, name), areaIds))
        journal.upsertCase({ ...row, source: 'demo-register' }, at);
    }
  }
  const files = demoMails(join(fixturesDir, 'mails'));
  const stamp = Date.now();
  files.forEach((file, index) => {
    const unique = `${stamp}.demo${String(index).padStart(4, '0')}.postrobot`;
    const target = join(inboxDir, 'new', unique);
    copyFileSync(file, target);
    chmodSync(target, 0o600);
  });
  return files.length;
}
