/**
 * A table of words keyed by a range of a text and the range's hash (tokenize.ts's
 * scanWords), so that a word already known is found without making a string of it or
 * hashing it again: a Map<string, …> lookup of freshly sliced words was a fifth of the
 * time spent classifying a mail.
 *
 * Open addressing with linear probing; the stored word is compared with the range, so a
 * hash collision never returns another word's entry. When full, the table is emptied
 * rather than tracking recency: the common words come back at once.
 */
import { isJoiner } from './tokenize.js';

const EMPTY = -1;

export class WordTable<T> {
  private readonly slots: Int32Array;
  private readonly hashes: Int32Array;
  private readonly words: string[] = [];
  private readonly values: T[] = [];
  private readonly mask: number;

  /** `limit` entries at most; the slot array is a power of two of at least twice that. */
  constructor(private readonly limit: number) {
    let size = 1;
    while (size < limit * 2) size *= 2;
    this.slots = new Int32Array(size).fill(EMPTY);
    this.hashes = new Int32Array(size);
    this.mask = size - 1;
  }

  get size(): number {
    return this.words.length;
  }

  /** The entry of the word `text[start, end)` (joiners skipped when `joined`), if known. */
  get(text: string, start: number, end: number, hash: number, joined: boolean): T | undefined {
    const h = hash | 0;
    for (let slot = h & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = this.slots[slot]!;
      if (entry === EMPTY) return undefined;
      if (this.hashes[slot] === h && sameWord(this.words[entry]!, text, start, end, joined))
        return this.values[entry];
    }
  }

  /** Adds a word not in the table (check with get first). */
  set(word: string, hash: number, value: T): void {
    if (this.words.length >= this.limit) this.clear();
    const h = hash | 0;
    let slot = h & this.mask;
    while (this.slots[slot] !== EMPTY) slot = (slot + 1) & this.mask;
    this.slots[slot] = this.words.length;
    this.hashes[slot] = h;
    this.words.push(word);
    this.values.push(value);
  }

  clear(): void {
    this.slots.fill(EMPTY);
    this.words.length = 0;
    this.values.length = 0;
  }
}

function sameWord(
  word: string,
  text: string,
  start: number,
  end: number,
  joined: boolean,
): boolean {
  if (!joined) {
    if (word.length !== end - start) return false;
    for (let i = 0; i < word.length; i += 1)
      if (word.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
    return true;
  }
  let k = 0;
  for (let i = start; i < end; i += 1) {
    const c = text.charCodeAt(i);
    if (isJoiner(c)) continue;
    if (k >= word.length || word.charCodeAt(k) !== c) return false;
    k += 1;
  }
  return k === word.length;
}
