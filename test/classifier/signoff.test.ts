import { describe, expect, it } from 'vitest';
import { pairwiseConfidence } from '../../src/classifier/calibrate.js';
import { createFeaturizer, DEFAULT_FEATURE_OPTIONS } from '../../src/classifier/features.js';
import { scoreEvidence } from '../../src/pipeline/evidence.js';
import { splitSignOff } from '../../src/pipeline/quoted.js';
import { compileEvidence } from '../../src/pipeline/rules.js';
import { mail } from './helpers.js';

const JOBCENTER_ASKS =
  'En borger har klaget over afslag på seniorpension og bedt os sende klagen videre.\n\nVenlig hilsen\nJobcenter Viborg\nYdelsesteamet';

describe('who writes and what is written', () => {
  it('splits the sign-off from the text', () => {
    const split = splitSignOff(JOBCENTER_ASKS);
    expect(split.text).toBe(
      'En borger har klaget over afslag på seniorpension og bedt os sende klagen videre.',
    );
    expect(split.signOff).toBe('Venlig hilsen\nJobcenter Viborg\nYdelsesteamet');
  });

  it('leaves a mail without a sign-off whole', () => {
    expect(splitSignOff('Jeg klager over afslaget.')).toEqual({
      text: 'Jeg klager over afslaget.',
      signOff: '',
    });
  });

  it('keeps a closing phrase far above the end as text', () => {
    const text = ['Hilsen fra Aarhus', ...Array.from({ length: 15 }, (_, i) => `linje ${i}`)];
    expect(splitSignOff(text.join('\n')).signOff).toBe('');
  });

  it('gives the sign-off words a field of their own, not the body bag', () => {
    const f = createFeaturizer(DEFAULT_FEATURE_OPTIONS);
    const signed = new Set(f.featurize(mail('', 'Tekst.\n\nMvh\nJobcenter')).indices);
    const inText = new Set(f.featurize(mail('', 'Tekst om jobcenter.')).indices);
    const own = new Set(f.featurize(mail('', 'Tekst.')).indices);
    const onlyInText = [...inText].filter((i) => !own.has(i));
    expect(onlyInText.some((i) => signed.has(i))).toBe(false);
  });

  it('counts no routing.yaml evidence in the sign-off', () => {
    const evidence = compileEvidence({
      areas: [
        {
          id: 'beskaeftigelse',
          evidence: [{ name: 'jobcenter', weight: 2, terms: ['jobcenter'] }],
        },
      ],
    } as never);
    expect(scoreEvidence(mail('', JOBCENTER_ASKS), evidence).scores).toEqual({});
    expect(
      scoreEvidence(mail('', 'Jobcenter Viborg har stoppet min ydelse.'), evidence).scores,
    ).toEqual({ beskaeftigelse: 2 });
  });
});

describe('the confidence that is thresholded', () => {
  it('is the chosen label against the runner-up', () => {
    expect(pairwiseConfidence([0.6, 0.2, 0.2], 0)).toBeCloseTo(0.75);
    expect(pairwiseConfidence([0.5, 0.5, 0], 1)).toBeCloseTo(0.5);
  });
});
