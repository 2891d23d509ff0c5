/** Whitespace runs count as one space: layout is not what OCR accuracy is about. */
function normalise(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Levenshtein distance in two rows. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** 1 − character error rate against the ground truth, floored at 0. */
export function characterAccuracy(ocr: string, truth: string): number {
  const expected = normalise(truth);
  return Math.max(0, 1 - editDistance(normalise(ocr), expected) / expected.length);
}
