import type { RoutingConfig } from '../config/schema.js';
import type { CaseNumberPattern } from './case-numbers.js';
import {
  compileEvidence,
  compileRules,
  type CompiledEvidence,
  type CompiledRule,
} from './rules.js';

/** The routing configuration with its rules and evidence compiled once. Swapped whole on reload. */
export interface CompiledRouting {
  config: RoutingConfig;
  caseNumberPatterns: CaseNumberPattern[];
  rules: CompiledRule[];
  evidence: CompiledEvidence[];
}

export function compileRouting(
  config: RoutingConfig,
  caseNumberPatterns: CaseNumberPattern[],
): CompiledRouting {
  return {
    config,
    caseNumberPatterns,
    rules: compileRules(config.rules),
    evidence: compileEvidence(config),
  };
}
