import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';

/** A parsed YAML file, kept with its line counter so that errors can name a line. */
export interface YamlSource {
  file: string;
  doc: Document;
  lines: LineCounter;
}

export function parseYaml(file: string, text: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    const where = pos ? ` (line ${pos.line}, column ${pos.col})` : '';
    throw new ConfigError(
      file,
      '',
      `not valid YAML${where}: ${first.code}`,
      'Fix the YAML syntax (indentation, quotes, a colon after each key).',
    );
  }
  return { file, doc, lines };
}

export function keyPathText(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

/** "line N" for a key path in the source, when the YAML has that node. */
export function lineOf(source: YamlSource, path: readonly PropertyKey[]): string {
  const node = source.doc.getIn(path as unknown[], true);
  if (isNode(node) && node.range) return ` (line ${source.lines.linePos(node.range[0]).line})`;
  if (path.length > 0) return lineOf(source, path.slice(0, -1));
  return '';
}

function hintFor(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return 'Remove it or correct its spelling; see the commented default file for the keys that exist.';
    case 'invalid_type':
      return `Give a value of type ${issue.expected}.`;
    case 'invalid_value':
      return `Use one of: ${issue.values.map(String).join(', ')}.`;
    case 'too_small':
      return issue.origin === 'array'
        ? `Give at least ${String(issue.minimum)} entries.`
        : `Give a value of at least ${String(issue.minimum)}.`;
    case 'too_big':
      return `Give a value of at most ${String(issue.maximum)}.`;
    case 'invalid_format':
      return `Give a valid ${issue.format}.`;
    default:
      return 'See the commented default configuration for the expected form.';
  }
}

/** Turns the first schema issue into a ConfigError naming file, key path, line and fix. */
export function schemaError(source: YamlSource, error: z.ZodError): ConfigError {
  const issue = error.issues[0];
  if (!issue) return new ConfigError(source.file, '', 'invalid', 'Check the file.');
  let path: PropertyKey[] = [...issue.path];
  let problem = issue.message;
  if (issue.code === 'unrecognized_keys') {
    path = [...path, issue.keys[0] ?? ''];
    problem = `unknown key "${issue.keys.join('", "')}"`;
  } else if (issue.code === 'invalid_type' && issue.input === undefined) {
    problem = 'missing (required)';
  }
  return new ConfigError(
    source.file,
    keyPathText(path) + lineOf(source, path),
    problem,
    hintFor(issue),
  );
}
