import { describe, expect, it } from 'vitest';
import { createFeaturizer, DEFAULT_FEATURE_OPTIONS } from '../../src/classifier/features.js';
import { foldDanish } from '../../src/classifier/text/fold.js';
import { DANISH_STOPWORDS } from '../../src/classifier/text/stopwords.js';
import { tokenize } from '../../src/classifier/text/tokenize.js';
import { mail } from './helpers.js';

function shared(a: string, b: string): number {
  const f = createFeaturizer(DEFAULT_FEATURE_OPTIONS);
  const x = new Set(f.featurize(mail('', a)).indices);
  return [...f.featurize(mail('', b)).indices].filter((i) => x.has(i)).length;
}

describe('Danish text features', () => {
  it('keeps æøå words whole', () => {
    expect(tokenize('Afgørelsen om førtidspension på Ærø')).toEqual([
      'afgørelsen',
      'om',
      'førtidspension',
      'på',
      'ærø',
    ]);
  });

  it('joins hyphenated words so that a-kasse and akasse meet', () => {
    expect(tokenize('min a-kasse')).toEqual(['min', 'akasse']);
  });

  it('folds æ, ø and å to the spellings of a keyboard without them', () => {
    expect(foldDanish('Børnene på Ærø')).toBe('boernene paa aeroe');
    expect(foldDanish('boernene')).toBe(foldDanish('Børnene'));
  });

  it('knows the Danish stopwords', () => {
    expect(DANISH_STOPWORDS.has('og')).toBe(true);
    expect(DANISH_STOPWORDS.has('kontanthjaelp')).toBe(false);
  });

  it('tells Danish mail from English mail: only Danish mail gets character n-grams', () => {
    const f = createFeaturizer(DEFAULT_FEATURE_OPTIONS);
    const danish = f.featurize(mail('', 'Jeg vil klage over at kommunen har stoppet min hjælp'));
    const english = f.featurize(
      mail('', 'I would like to complain about the decision of the municipality'),
    );
    expect(danish.blocks.includes(1)).toBe(true);
    expect(english.blocks.includes(1)).toBe(false);
  });

  it('lets a word written with æøå and without them share features', () => {
    expect(shared('afgørelsen om børnene', 'afgoerelsen om boernene')).toBeGreaterThan(1);
  });

  it('lets a compound meet its parts through character n-grams', () => {
    expect(shared('førtidspensionssag', 'førtidspension')).toBeGreaterThan(5);
    // Unrelated words share nothing but, rarely, one hash bucket.
    expect(shared('førtidspensionssag', 'hjemmehjælp')).toBeLessThanOrEqual(1);
  });
});
