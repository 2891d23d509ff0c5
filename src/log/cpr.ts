/**
 * CPR numbers (ddmmyy-xxxx, with a hyphen, a space or nothing between). No modulus-11
 * check: numbers without it have been issued since 2007. The day and month must be
 * plausible so that ordinary ten-digit numbers (phone numbers with a prefix, amounts)
 * are not all caught, while every real CPR number is.
 */
const CPR_PATTERN = /(?<![\d-])(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}[- ]?\d{4}(?![\d])/g;

export function findCprNumbers(text: string): string[] {
  return text.match(CPR_PATTERN) ?? [];
}

export function countCprNumbers(text: string): number {
  return findCprNumbers(text).length;
}

/** Replaces every CPR number with a fixed mark. */
export function scrubCpr(text: string): string {
  return text.replace(CPR_PATTERN, '[CPR]');
}
