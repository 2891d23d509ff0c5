/**
 * The Danish-aware tokenizer: a word is a run of letters and digits (æøå and every other
 * Unicode letter included, so "afgørelse" stays one word), with inner hyphens and
 * apostrophes joined away so that "a-kasse" and "akasse" meet.
 *
 * A hand-written scanner rather than a Unicode regex: tokenizing was a third of the time
 * spent on each mail. Non-ASCII code units are classified once each and remembered.
 * `scanWords` hands out each word as a range of the lower-cased text with its hash, so
 * that a caller with a word table (features.ts) makes no string for a word it knows.
 */
import { FNV_OFFSET, FNV_PRIME, hashString } from './hash.js';

const UNKNOWN = 0;
const WORD = 1;
const OTHER = 2;
const classes = new Uint8Array(65536);
for (let c = 0; c < 128; c += 1) {
  classes[c] = (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) ? WORD : OTHER;
}
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

function isWordUnit(c: number): boolean {
  let kind = classes[c]!;
  if (kind === UNKNOWN) {
    kind = LETTER_OR_DIGIT.test(String.fromCharCode(c)) ? WORD : OTHER;
    classes[c] = kind;
  }
  return kind === WORD;
}

export function isJoiner(c: number): boolean {
  return c === 45 || c === 39 || c === 0x2019; // - ' ’
}

/** The hash `scanWords` gives a word (joiners left out): hash.ts's FNV-1a with seed 0. */
export function wordHash(word: string): number {
  return hashString(word, 0);
}

/**
 * Receives each word of a text: `lower[start, end)` is the word, with joiners inside when
 * `joined` (they are not part of the word: "a-kasse" is "akasse"); `hash` is its wordHash;
 * `hasDigit` says whether a digit occurs in it.
 */
export type WordVisitor = (
  lower: string,
  start: number,
  end: number,
  hash: number,
  joined: boolean,
  hasDigit: boolean,
) => void;

/** Calls `visit` for each word of `text`, in order. */
export function scanWords(text: string, visit: WordVisitor): void {
  const lower = text.toLowerCase();
  const n = lower.length;
  let start = -1;
  let joined = false;
  let digit = false;
  let h = FNV_OFFSET;
  for (let i = 0; i < n; i += 1) {
    const c = lower.charCodeAt(i);
    if (isWordUnit(c)) {
      if (start < 0) {
        start = i;
        h = FNV_OFFSET;
      }
      if (c >= 48 && c <= 57) digit = true;
      h = Math.imul(h ^ c, FNV_PRIME);
      continue;
    }
    // A joiner inside a word (letters on both sides) keeps the word going.
    if (start >= 0 && isJoiner(c) && i + 1 < n && isWordUnit(lower.charCodeAt(i + 1))) {
      joined = true;
      continue;
    }
    if (start >= 0) {
      visit(lower, start, i, h >>> 0, joined, digit);
      start = -1;
      joined = false;
      digit = false;
    }
  }
  if (start >= 0) visit(lower, start, n, h >>> 0, joined, digit);
}

/** The word `scanWords` reports, as a string. */
export function wordAt(lower: string, start: number, end: number, joined: boolean): string {
  const word = lower.slice(start, end);
  return joined ? word.replace(/[-'’]/g, '') : word;
}

/** Lower-cased words of a text, æøå kept. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  scanWords(text, (lower, start, end, _hash, joined) =>
    out.push(wordAt(lower, start, end, joined)),
  );
  return out;
}
