import type { ClassifierInput, Reason } from '../types.js';
import type { CompiledEvidence } from './rules.js';
import { splitSignOff } from './quoted.js';
import { foldText } from './text-fold.js';

export interface EvidenceScore {
  scores: Record<string, number>;
  reasons: Reason[];
}

/** Terms in the subject count this much more than in the body; attachment text less. */
const SUBJECT_FACTOR = 2;
const ATTACHMENT_TEXT_FACTOR = 0.5;
/**
 * The sign-off ("Med venlig hilsen … Jobcenter Viborg") says who writes, not what the
 * mail is about: a jobcenter, Udbetaling Danmark or an a-kasse signs mail about every area.
 */
const SIGN_OFF_FACTOR = 0;

/**
 * Sums the weights of the evidence terms that occur in a mail, per area. Each term counts
 * once per field, so a long mail repeating one word does not outweigh several signs.
 */
export function scoreEvidence(input: ClassifierInput, evidence: CompiledEvidence[]): EvidenceScore {
  const signed = splitSignOff(input.bodyText);
  const fields: { text: string; factor: number }[] = [
    { text: foldText(input.subject), factor: SUBJECT_FACTOR },
    { text: foldText(`${signed.text}\n${input.attachmentNames.join('\n')}`), factor: 1 },
    { text: foldText(signed.signOff), factor: SIGN_OFF_FACTOR },
    { text: foldText(input.attachmentText.slice(0, 50_000)), factor: ATTACHMENT_TEXT_FACTOR },
  ].filter(({ text, factor }) => factor > 0 && text !== '');
  const scores: Record<string, number> = {};
  const reasons: Reason[] = [];
  for (const group of evidence) {
    const matched = group.terms.filter(({ regex }) => fields.some(({ text }) => regex.test(text)));
    if (matched.length === 0) continue;
    let weight = 0;
    for (const { regex } of matched) {
      const best = Math.max(...fields.map(({ text, factor }) => (regex.test(text) ? factor : 0)));
      weight += group.weight * best;
    }
    scores[group.area] = (scores[group.area] ?? 0) + weight;
    reasons.push({
      kind: 'evidence',
      detail: `${group.name}: ${matched
        .map((m) => m.term)
        .slice(0, 5)
        .join(', ')}`,
      area: group.area,
      weight: Math.round(weight * 100) / 100,
    });
  }
  return { scores, reasons };
}

/** Confidence from evidence alone: grows with the lead of the best area over the next. */
export function evidenceConfidence(scores: Record<string, number>): {
  area: string | null;
  confidence: number;
} {
  const ranked = Object.entries(scores).sort((a, b) => b[1] - a[1]);
  const best = ranked[0];
  if (!best || best[1] <= 0) return { area: null, confidence: 0 };
  const margin = best[1] - (ranked[1]?.[1] ?? 0);
  return { area: best[0], confidence: 1 - Math.exp(-margin / 2) };
}
