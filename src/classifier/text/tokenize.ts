/**
 * The Danish-aware tokenizer: a word is a run of letters and digits (æøå and every other
 * Unicode letter included, so "afgørelse" stays one word), with inner hyphens and
 * apostrophes joined away so that "a-kasse" and "akasse" meet.
 */
const WORD = /[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu;
const JOINERS = /[-'’]/g;

/** Lower-cased words of a text, æøå kept. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const match of text.toLowerCase().matchAll(WORD)) {
    const word = match[0];
    out.push(word.includes('-') || word.includes("'") || word.includes('’') ? word.replace(JOINERS, '') : word);
  }
  return out;
}
