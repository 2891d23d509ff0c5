/** Orders akt numbers as numbers part by part: 2 < 3 < 3.1 < 3.2 < 3.10 < 4 < 10. */
export function compareAkt(a: string, b: string): number {
  const left = a.split('.').map((part) => Number.parseInt(part, 10));
  const right = b.split('.').map((part) => Number.parseInt(part, 10));
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const l = left[index] ?? -1;
    const r = right[index] ?? -1;
    if (Number.isNaN(l) || Number.isNaN(r)) return a.localeCompare(b);
    if (l !== r) return l - r;
  }
  return 0;
}

/** The akt a sub-document belongs under ("3" for "3.1"), or null for a top-level one. */
export function parentAkt(akt: string): string | null {
  const dot = akt.lastIndexOf('.');
  return dot > 0 ? akt.slice(0, dot) : null;
}
