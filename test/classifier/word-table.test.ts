import { describe, expect, it } from 'vitest';
import { createFeaturizer, DEFAULT_FEATURE_OPTIONS } from '../../src/classifier/features.js';
import { scanWords, wordHash } from '../../src/classifier/text/tokenize.js';
import { WordTable } from '../../src/classifier/text/word-table.js';
import { mail } from './helpers.js';

interface Seen {
  lower: string;
  start: number;
  end: number;
  hash: number;
  joined: boolean;
}

function words(text: string): Seen[] {
  const out: Seen[] = [];
  scanWords(text, (lower, start, end, hash, joined) =>
    out.push({ lower, start, end, hash, joined }),
  );
  return out;
}

describe('the word table', () => {
  it('finds a word by its range in a text and hands out the hash of the joined word', () => {
    const table = new WordTable<string>(10);
    table.set('akasse', wordHash('akasse'), 'entry');
    const [mine, akasse] = words('Min A-kasse');
    expect(akasse!.hash).toBe(wordHash('akasse'));
    expect(table.get(akasse!.lower, akasse!.start, akasse!.end, akasse!.hash, akasse!.joined)).toBe(
      'entry',
    );
    expect(
      table.get(mine!.lower, mine!.start, mine!.end, mine!.hash, mine!.joined),
    ).toBeUndefined();
  });

  it('never returns another word that shares the hash', () => {
    const table = new WordTable<string>(10);
    // Two words stored under one (forced) hash: each is found as itself, a third is not.
    table.set('sygedagpenge', 42, 'syg');
    table.set('førtidspension', 42, 'ftp');
    const text = 'førtidspension sygedagpenge kontanthjælp';
    const [ftp, syg, kontant] = words(text);
    expect(table.get(ftp!.lower, ftp!.start, ftp!.end, 42, false)).toBe('ftp');
    expect(table.get(syg!.lower, syg!.start, syg!.end, 42, false)).toBe('syg');
    expect(table.get(kontant!.lower, kontant!.start, kontant!.end, 42, false)).toBeUndefined();
  });

  it('empties itself when full and goes on working', () => {
    const table = new WordTable<number>(2);
    table.set('a', wordHash('a'), 1);
    table.set('b', wordHash('b'), 2);
    table.set('c', wordHash('c'), 3);
    expect(table.size).toBe(1);
    const [c] = words('c');
    expect(table.get(c!.lower, c!.start, c!.end, c!.hash, false)).toBe(3);
  });

  it('gives a mail the same features however often its words were seen before', () => {
    const text = 'Klage over afslag på førtidspension, sagsnr. 25-300041, min a-kasse 3F';
    const fresh = createFeaturizer().featurize(mail('Klage', text));
    const warm = createFeaturizer();
    for (let i = 0; i < 3; i += 1) warm.featurize(mail('Klage', `${text} igen ${i}`));
    const again = warm.featurize(mail('Klage', text));
    const sorted = (f: typeof fresh) =>
      [...f.indices].map((index, k) => `${index}:${f.counts[k]}:${f.blocks[k]}`).sort();
    expect(sorted(again)).toEqual(sorted(fresh));
  });
});

describe('the readable name of a bucket', () => {
  it('is the term that most often lands in it, not the first one seen', () => {
    // Four buckets: every word shares its bucket with others, and rare words come first.
    const options = { ...DEFAULT_FEATURE_OPTIONS, bits: 2, charNgrams: [0, 0] as [number, number] };
    const featurizer = createFeaturizer(options, true);
    const first = featurizer.featurize(
      mail('', 'hartley sjakbajer retvisende zebrafinke quasimodo xylofon'),
    );
    const adoption = featurizer.featurize(mail('', 'adoption'));
    for (let i = 0; i < 20; i += 1) featurizer.featurize(mail('', 'adoption adoptionen'));
    const bucket = adoption.indices[0]!;
    expect([...first.indices]).toContain(bucket);
    expect(featurizer.describe(bucket)).toBe('adoption');
    expect(featurizer.named().get(bucket)).toBe('adoption');
  });
});

describe('a bucket filled by character n-grams', () => {
  it('has no readable name, whatever word shares it', () => {
    const featurizer = createFeaturizer({ ...DEFAULT_FEATURE_OPTIONS, bits: 2 }, true);
    featurizer.featurize(mail('', 'hartley'));
    for (let i = 0; i < 10; i += 1) featurizer.featurize(mail('', 'førtidspensionssagen'));
    const names = [...featurizer.named().values()];
    expect(names).not.toContain('hartley');
  });
});
