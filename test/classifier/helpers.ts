import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTrainingDir, type TrainingExample } from '../../src/classifier/index.js';

export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'mails');

/** The first `perArea` fixture mails of every area (and manual), in file order. */
export async function fixtureExamples(perArea: number): Promise<TrainingExample[]> {
  const { examples } = await loadTrainingDir(FIXTURES);
  const seen = new Map<string, number>();
  return examples.filter((e) => {
    const n = seen.get(e.label) ?? 0;
    seen.set(e.label, n + 1);
    return n < perArea;
  });
}

/** A temp folder owned by one test; removed by the returned function. */
export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'postrobot-classifier-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function mail(subject: string, body: string, senderDomain: string | null = 'gmail.com') {
  return { subject, bodyText: body, attachmentNames: [], attachmentText: '', senderDomain };
}
