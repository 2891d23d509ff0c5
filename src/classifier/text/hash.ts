/**
 * Feature hashing (FNV-1a, 32 bit). Hashing keeps the model a fixed size whatever the
 * vocabulary, needs no dictionary in the model file, and lets new words in unseen mail
 * land somewhere harmless. A seed per field keeps "subject: klage" and "body: klage" apart.
 */
export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** Hash of text[start, end) under a seed. */
export function hashRange(text: string, start: number, end: number, seed: number): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  for (let i = start; i < end; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h >>> 0;
}

export function hashString(text: string, seed: number): number {
  return hashRange(text, 0, text.length, seed);
}

/** Order-sensitive combination of two hashes (for word bigrams). */
export function combineHashes(a: number, b: number): number {
  let h = Math.imul(a ^ (b >>> 15), 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
