import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { BlobStore } from '../journal/blob-store.js';
import type { Journal } from '../journal/journal.js';
import type { MainConfig } from '../config/schema.js';
import { daysBefore } from './since.js';

const BATCH = 1000;

export interface RetentionCounts {
  rawMails: number;
  documents: number;
  files: number;
  events: number;
  cprIndex: number;
  logFiles: number;
}

function removeBlob(blobs: BlobStore, sha256: string, ext: string): number {
  const file = blobs.pathOf(sha256, ext);
  try {
    rmSync(file);
    return 1;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

/**
 * Deletes what has outlived its period. Files go first and the journal rows after, so a
 * crash in between leaves rows without files (the next run finishes them), never files
 * that nothing points at any more. Logs counts only.
 */
export function runRetention(
  journal: Journal,
  blobs: BlobStore,
  settings: MainConfig['retention'],
  now: Date,
  log: Logger,
): RetentionCounts {
  const counts: RetentionCounts = {
    rawMails: 0,
    documents: 0,
    files: 0,
    events: 0,
    cprIndex: 0,
    logFiles: 0,
  };
  const at = now.toISOString();
  if (settings.rawMailDays !== null) {
    const before = daysBefore(now, settings.rawMailDays).toISOString();
    for (
      let batch = journal.expiredRawMail(before, BATCH);
      batch.length > 0;
      batch = journal.expiredRawMail(before, BATCH)
    ) {
      for (const mail of batch)
        if (!mail.shared) counts.files += removeBlob(blobs, mail.sha256, 'eml');
      journal.markRawMailDeleted(
        batch.map((mail) => mail.id),
        at,
      );
      counts.rawMails += batch.length;
    }
  }
  if (settings.documentsDays !== null) {
    const before = daysBefore(now, settings.documentsDays).toISOString();
    for (
      let batch = journal.expiredDocuments(before, BATCH);
      batch.length > 0;
      batch = journal.expiredDocuments(before, BATCH)
    ) {
      for (const doc of batch) {
        if (doc.kind === 'attachment' && !doc.shared)
          counts.files += removeBlob(blobs, doc.sha256, 'bin');
        if (doc.pdfSha256 && !doc.pdfShared)
          counts.files += removeBlob(blobs, doc.pdfSha256, 'pdf');
      }
      journal.deleteDocuments(batch.map((doc) => doc.id));
      counts.documents += batch.length;
    }
  }
  if (settings.eventsDays !== null) {
    const deleted = journal.deleteEventsBefore(daysBefore(now, settings.eventsDays).toISOString());
    counts.events = deleted.events;
    counts.cprIndex = deleted.cprIndex;
  }
  if (settings.logsDays !== null && settings.logDir !== null) {
    counts.logFiles = removeOldLogs(settings.logDir, daysBefore(now, settings.logsDays).getTime());
  }
  log.info({ event: 'retention-done', ...counts }, 'retention job done');
  journal.addEvent({ kind: 'retention', at, detail: { ...counts } });
  return counts;
}

function removeOldLogs(dir: string, beforeMs: number): number {
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (!/\.log(\.\d+)?(\.gz)?$/.test(name)) continue;
    const file = join(dir, name);
    const info = statSync(file, { throwIfNoEntry: false });
    if (info?.isFile() && info.mtimeMs < beforeMs) {
      rmSync(file, { force: true });
      removed += 1;
    }
  }
  return removed;
}

/** Milliseconds until the next run at `hour` (local time). Pure. */
export function msUntilHour(now: Date, hour: number): number {
  const next = new Date(now);
  next.setHours(hour, 0, 0, 0);
  if (next.getTime() <= now.getTime()) next.setDate(next.getDate() + 1);
  return next.getTime() - now.getTime();
}
