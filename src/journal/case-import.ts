import { readFileSync } from 'node:fs';
import { normaliseCaseNumber } from '../pipeline/case-numbers.js';
import { ConfigError } from '../errors.js';

export interface CaseRow {
  number: string;
  area: string | null;
  caseworker: string | null;
}

/**
 * Reads a CSV of known cases: `caseNumber,area,caseworker` with a header line. The case
 * number may be in any of the accepted forms; it is stored normalised.
 */
export function readCasesCsv(file: string, areaIds: ReadonlySet<string>): CaseRow[] {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const header = (lines.shift() ?? '')
    .trim()
    .toLowerCase()
    .split(',')
    .map((cell) => cell.trim());
  const col = (name: string): number => header.indexOf(name.toLowerCase());
  const [numberCol, areaCol, workerCol] = [col('caseNumber'), col('area'), col('caseworker')];
  if (numberCol < 0)
    throw new ConfigError(
      file,
      'line 1',
      'no caseNumber column',
      'Start the file with the header line "caseNumber,area,caseworker".',
    );
  return lines.flatMap((line, index) => {
    if (line.trim() === '' || line.trim().startsWith('#')) return [];
    const cells = line.split(',').map((cell) => cell.trim());
    const raw = cells[numberCol] ?? '';
    const match = /^(\d{2}|\d{4})-(\d{1,7})$/.exec(raw);
    const number = match ? normaliseCaseNumber(match[1] ?? '', match[2] ?? '') : null;
    if (!number)
      throw new ConfigError(
        file,
        `line ${index + 2}`,
        `"${raw}" is not a case number`,
        'Write it as 24-123456 or 2024-0123456.',
      );
    const area = areaCol >= 0 && cells[areaCol] ? (cells[areaCol] ?? null) : null;
    if (area && !areaIds.has(area))
      throw new ConfigError(
        file,
        `line ${index + 2}`,
        `unknown area "${area}"`,
        `Use one of: ${[...areaIds].join(', ')}.`,
      );
    const caseworker = workerCol >= 0 && cells[workerCol] ? (cells[workerCol] ?? null) : null;
    return [{ number, area, caseworker }];
  });
}
