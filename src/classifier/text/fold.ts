/**
 * Spelling folding so that mail typed without æøå meets mail typed with them:
 * "børn", "boern" and "born" are all written by citizens. We fold to the ASCII digraphs
 * (æ→ae, ø→oe, å→aa) because that is what a Danish keyboardless writer uses; other
 * accents (é, ü) are dropped.
 */
const DANISH: Record<string, string> = { æ: 'ae', ø: 'oe', å: 'aa', ä: 'ae', ö: 'oe' };

// Letters outside plain ASCII, which is all folding has to look at.
// eslint-disable-next-line no-control-regex -- the range starts at NUL on purpose
const NON_ASCII = /[^\u0000-\u007f]/;

/** Lower-cased ASCII folding of one word or phrase. */
export function foldDanish(text: string): string {
  const lower = text.toLowerCase();
  if (!NON_ASCII.test(lower)) return lower;
  return lower
    .replace(/[æøåäö]/g, (ch) => DANISH[ch] ?? ch)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '');
}
