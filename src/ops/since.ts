import { UsageError } from '../errors.js';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "7d", "24h", "90m", "2w" or an ISO date → the instant that far back from `now`. */
export function parseSince(value: string, now: Date = new Date()): Date {
  const match = /^(\d+)\s*([mhdw])$/i.exec(value.trim());
  if (match) {
    const unit = UNITS[(match[2] ?? 'd').toLowerCase()] ?? UNITS.d!;
    return new Date(now.getTime() - Number(match[1]) * unit);
  }
  const date = new Date(value);
  if (/^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(date.getTime())) return date;
  throw new UsageError(`"${value}" is not a period; write it as 7d, 24h, 90m, 2w or 2025-01-31`);
}

/** Days between two instants, for retention periods. */
export function daysBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - days * UNITS.d!);
}

/** The calendar day (UTC, YYYY-MM-DD) of an ISO instant. */
export function dayOf(iso: string): string {
  return iso.slice(0, 10);
}

/** Seconds between two ISO instants (null when either is missing). */
export function secondsBetween(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) ? Math.max(0, ms / 1000) : null;
}
