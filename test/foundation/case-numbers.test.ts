import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { findCaseNumbers, normaliseCaseNumber } from '../../src/pipeline/case-numbers.js';

const patterns = loadConfig(undefined, {}).caseNumberPatterns;
const numbersIn = (text: string): string[] =>
  findCaseNumbers(text, patterns, 'body').map((hit) => hit.caseNumber);

describe('case numbers in the default patterns', () => {
  it.each([
    ['Sagsnr. 24-123456', '24-123456'],
    ['vedr. sagsnummer 24-12345 om min mor', '24-012345'],
    ['Jeres j.nr. 2024-0012345', '24-012345'],
    ['Jeres ref.: 25-004321', '25-004321'],
    ['Vores ref. 25-004321', '25-004321'],
    ['SAGSNR: 24-100003', '24-100003'],
    ['J.nr 2025-0400002', '25-400002'],
  ])('recognises "%s" as %s', (text, expected) => {
    expect(numbersIn(text)).toEqual([expected]);
  });

  it('normalises every format to one form', () => {
    expect(normaliseCaseNumber('2024', '0012345')).toBe('24-012345');
    expect(normaliseCaseNumber('24', '12345')).toBe('24-012345');
    expect(normaliseCaseNumber('24', '1234567')).toBeNull();
  });

  it('does not take phone numbers, dates or amounts for case numbers', () => {
    expect(
      numbersIn('Ring på 24-12 34 56 eller skriv den 24-12-2025; beløbet er 2024-123 kr.'),
    ).toEqual([]);
  });

  it('lists each case number once, in the order they occur', () => {
    expect(numbersIn('Sagsnr. 25-000002 og sagsnr. 24-000001 (sagsnr. 25-000002)')).toEqual([
      '25-000002',
      '24-000001',
    ]);
  });
});
