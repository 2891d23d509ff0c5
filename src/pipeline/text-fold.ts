/**
 * Lower-cases and folds Danish letters so that "førtidspension", "foertidspension" and
 * "FØRTIDSPENSION" compare equal, as do "é"/"e" and the like. Used by rule matchers and
 * evidence terms, never for display.
 */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'oe')
    .replace(/å/g, 'aa')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A regex that finds a folded term at the start of a word ("anbringelse" in "anbringelsen"). */
export function wordStartRegex(term: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegex(foldText(term))}`, 'u');
}
