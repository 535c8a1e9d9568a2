/**
 * A rule family: the rules one feature reads from a rule set (the experiment analysis, the lifecycle policy, a
 * projection with rules). Each feature describes its own family; the registry holds them all, so the rule-set
 * module checks a rule set against every family without knowing any feature.
 */
import { resolveRules, type AnyProjection, type RuleValues } from '../../projections/machinery/projection.js';

export interface RuleFamily {
  /** The name of the family's own block in the parameters (`parameters[name]` overrides the top level). */
  name: string;
  /** The parameter names a rule set may give this family: the names of its defaults. */
  parameterNames: readonly string[];
  /** Reads a rule set's parameters as the family does; throws to refuse them. */
  check: (parameters: RuleValues) => unknown;
}

/** What is wrong with a rule set's parameters: the field as the rule set spells it, and why. */
export interface RuleSetProblem {
  field: string;
  reason: string;
}

/** A projection's rules as a family: its defaults name the parameters, its own rule parsing checks them. */
export function projectionRuleFamily(projection: AnyProjection): RuleFamily {
  return {
    name: projection.name,
    parameterNames: Object.keys(projection.defaultRules),
    check: (parameters) => resolveRules(projection, parameters),
  };
}

export function hasRules(projection: AnyProjection): boolean {
  return Object.keys(projection.defaultRules).length > 0;
}
