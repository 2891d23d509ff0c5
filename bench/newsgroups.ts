/**
 * 20 Newsgroups (bydate) for the classifier benchmark: extracted with tar into a temp
 * folder at bench time, each message read as Latin-1 and split into the fields the
 * classifier reads (subject, body, sender domain).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClassifierInput } from '../src/types.js';

export interface NewsMessage {
  group: string;
  /** File name: the article number, which grows with time. */
  id: number;
  input: ClassifierInput;
}

export interface NewsCorpus {
  train: NewsMessage[];
  test: NewsMessage[];
  cleanup(): void;
}

export const CORPUS = '/work/shared/corpora/20news-bydate.tar.gz';

function toInput(text: string): ClassifierInput {
  const end = text.search(/\r?\n\r?\n/);
  const head = end >= 0 ? text.slice(0, end) : '';
  const body = end >= 0 ? text.slice(end).trim() : text;
  const subject = /^Subject:\s*(.*)$/im.exec(head)?.[1] ?? '';
  const from = /^From:.*?@([A-Za-z0-9.-]+)/im.exec(head)?.[1] ?? null;
  return {
    subject,
    bodyText: body,
    attachmentNames: [],
    attachmentText: '',
    senderDomain: from ? from.toLowerCase() : null,
  };
}

function readSplit(root: string): NewsMessage[] {
  const out: NewsMessage[] = [];
  for (const group of readdirSync(root).sort()) {
    for (const file of readdirSync(join(root, group))) {
      out.push({
        group,
        id: Number(file),
        input: toInput(readFileSync(join(root, group, file), 'latin1')),
      });
    }
  }
  return out;
}

function findSplitRoot(dir: string, split: 'train' | 'test'): string {
  for (const candidate of [
    join(dir, '20news-bydate', split),
    join(dir, `20news-bydate-${split}`),
    join(dir, split),
  ]) {
    try {
      readdirSync(candidate);
      return candidate;
    } catch {
      // try the next layout
    }
  }
  throw new Error(`no ${split} folder in the 20 Newsgroups archive`);
}

export function loadNewsgroups(archive = CORPUS): NewsCorpus {
  const dir = mkdtempSync(join(tmpdir(), 'postrobot-20news-'));
  execFileSync('tar', ['xzf', archive, '-C', dir]);
  return {
    train: readSplit(findSplitRoot(dir, 'train')),
    test: readSplit(findSplitRoot(dir, 'test')),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
