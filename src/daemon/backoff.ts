/**
 * The wait before the next attempt of a failed action: the configured list of waits,
 * the last one repeated, with ±20 % jitter so that many failed actions do not retry in
 * step. Pure: the random number comes in.
 */
export function retryDelayMs(
  attempt: number,
  delaysSeconds: readonly number[],
  random: number,
): number {
  const index = Math.min(Math.max(attempt, 0), delaysSeconds.length - 1);
  const base = (delaysSeconds[index] ?? 60) * 1000;
  return Math.round(base * (0.8 + 0.4 * random));
}

/** Capped exponential backoff with full jitter, for reconnecting to a server. */
export function reconnectDelayMs(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: number,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling * (0.5 + 0.5 * random));
}
