/**
 * The skew of a page of text, by projection profiles: rows of a straight page fall into
 * sharp peaks (lines) and gaps, so the angle whose profile has the largest sum of
 * squares is the one that straightens the lines. Works on a small greyscale copy.
 */
export function skewAngle(grey: Uint8Array, width: number, height: number, maxDegrees = 6): number {
  const xs: number[] = [];
  const ys: number[] = [];
  // Ink is what is clearly darker than the page; a mean threshold is enough at this size.
  let sum = 0;
  for (const value of grey) sum += value;
  const threshold = Math.min(160, (sum / grey.length) * 0.6);
  for (let y = 0; y < height; y += 1)
    for (let x = 0; x < width; x += 1)
      if (grey[y * width + x]! < threshold) {
        xs.push(x);
        ys.push(y);
      }
  if (xs.length < 200 || xs.length > width * height * 0.4) return 0;

  const score = (degrees: number): number => {
    const slope = Math.tan((degrees * Math.PI) / 180);
    const offset = Math.ceil(Math.abs(slope) * width) + 1;
    const rows = new Float64Array(height + 2 * offset);
    for (let index = 0; index < xs.length; index += 1)
      rows[Math.round(ys[index]! - xs[index]! * slope) + offset]! += 1;
    let total = 0;
    for (const count of rows) total += count * count;
    return total;
  };
  const best = (from: number, to: number, step: number): number => {
    let angle = 0;
    let top = -1;
    for (let degrees = from; degrees <= to + 1e-9; degrees += step) {
      const value = score(degrees);
      if (value > top) {
        top = value;
        angle = degrees;
      }
    }
    return angle;
  };
  const coarse = best(-maxDegrees, maxDegrees, 0.5);
  return Math.round(best(coarse - 0.5, coarse + 0.5, 0.1) * 10) / 10;
}
