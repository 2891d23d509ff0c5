import type { CaseNumberHit } from '../types.js';

/** A compiled case-number pattern: the regex must have named groups `year` and `number`. */
export interface CaseNumberPattern {
  name: string;
  regex: RegExp;
}

/** Normalises a year and a serial number to YY-NNNNNN, or null when it cannot be one. */
export function normaliseCaseNumber(year: string, serial: string): string | null {
  const yy = year.length === 4 ? year.slice(2) : year;
  if (!/^\d{2}$/.test(yy)) return null;
  const digits = serial.replace(/^0+/, '') || '0';
  if (digits.length > 6 || digits === '0') return null;
  return `${yy}-${digits.padStart(6, '0')}`;
}

/** All case numbers in a text, in order, each once. */
export function findCaseNumbers(
  text: string,
  patterns: CaseNumberPattern[],
  source: CaseNumberHit['source'],
): CaseNumberHit[] {
  const hits: { index: number; hit: CaseNumberHit }[] = [];
  for (const pattern of patterns) {
    const regex = new RegExp(
      pattern.regex.source,
      pattern.regex.flags.includes('g') ? pattern.regex.flags : `${pattern.regex.flags}g`,
    );
    for (const match of text.matchAll(regex)) {
      const year = match.groups?.year;
      const serial = match.groups?.number;
      if (!year || !serial) continue;
      const caseNumber = normaliseCaseNumber(year, serial);
      if (caseNumber)
        hits.push({ index: match.index ?? 0, hit: { caseNumber, source, pattern: pattern.name } });
    }
  }
  hits.sort((a, b) => a.index - b.index);
  const seen = new Set<string>();
  return hits
    .map((entry) => entry.hit)
    .filter((hit) => (seen.has(hit.caseNumber) ? false : (seen.add(hit.caseNumber), true)));
}
