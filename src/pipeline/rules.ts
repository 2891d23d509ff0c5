import type { Rule, RoutingConfig, TextMatcher } from '../config/schema.js';
import { foldText, wordStartRegex } from './text-fold.js';

/** The fields of a mail that rules can look at. Body is the new text only. */
export interface RuleSubject {
  from: string;
  domain: string;
  subject: string;
  body: string;
  attachment: string;
}

type Test = (value: string, folded: string) => boolean;

/** Regex rules only ever see this much text, so that a slow pattern stays bounded. */
const REGEX_INPUT_LIMIT = 20_000;

function compileMatcher(matcher: TextMatcher): Test {
  if (typeof matcher === 'string') {
    const needle = foldText(matcher);
    return (_value, folded) => folded.includes(needle);
  }
  if ('any' in matcher) {
    const needles = matcher.any.map(foldText);
    return (_value, folded) => needles.some((needle) => folded.includes(needle));
  }
  if ('all' in matcher) {
    const needles = matcher.all.map(foldText);
    return (_value, folded) => needles.every((needle) => folded.includes(needle));
  }
  const regex = new RegExp(matcher.regex, 'iu');
  return (value) => regex.test(value.slice(0, REGEX_INPUT_LIMIT));
}

export interface CompiledRule {
  name: string;
  area: string;
  matches(subject: RuleSubject, folded: RuleSubject): boolean;
}

export function compileRules(rules: Rule[]): CompiledRule[] {
  return rules.map((rule) => {
    const tests = (Object.entries(rule.match) as [keyof RuleSubject, TextMatcher | undefined][])
      .filter((entry): entry is [keyof RuleSubject, TextMatcher] => entry[1] !== undefined)
      .map(([field, matcher]) => ({ field, test: compileMatcher(matcher) }));
    return {
      name: rule.name,
      area: rule.area,
      matches: (subject, folded) =>
        tests.every(({ field, test }) => test(subject[field], folded[field])),
    };
  });
}

export interface CompiledEvidence {
  area: string;
  name: string;
  weight: number;
  terms: { term: string; regex: RegExp }[];
}

export function compileEvidence(routing: RoutingConfig): CompiledEvidence[] {
  return routing.areas.flatMap((area) =>
    area.evidence.map((evidence) => ({
      area: area.id,
      name: evidence.name,
      weight: evidence.weight,
      terms: evidence.terms.map((term) => ({ term, regex: wordStartRegex(term) })),
    })),
  );
}

export function foldSubject(subject: RuleSubject): RuleSubject {
  return {
    from: foldText(subject.from),
    domain: foldText(subject.domain),
    subject: foldText(subject.subject),
    body: foldText(subject.body),
    attachment: foldText(subject.attachment),
  };
}
