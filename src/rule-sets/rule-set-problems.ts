/**
 * Every rule family a rule set can override, checked before a `RuleSetDefined` is appended: a rule set that one
 * family refuses (say `gamma: 0` for the lifecycle policy) would otherwise be stored and then fail wherever that
 * family reads it (the policy processor, the compare, the trends rebuild). Each problem names the field as the
 * rule set spells it: `gamma`, or `lifecycle-policy.gamma` when the value came from that family's own block.
 */
import { ZodError } from 'zod';
import { experimentRules } from '../../projections/experiment-rules.js';
import { resolveRules, type AnyProjection, type RuleValues } from '../../projections/projection.js';
import { LIFECYCLE_POLICY_NAME } from '../lifecycle/policy/lifecycle-policy.projection.js';
import { rulesOf } from '../lifecycle/policy/policy-rule-sets.js';
import { REGISTERED_PROJECTIONS } from '../projection-engine/registered-projections.js';

export interface RuleSetProblem {
  field: string;
  reason: string;
}

interface RuleFamily {
  /** The name of the family's own block in the parameters (`parameters[name]` overrides the top level). */
  name: string;
  check: (parameters: RuleValues) => unknown;
}

function families(): RuleFamily[] {
  const projections = REGISTERED_PROJECTIONS.filter((p: AnyProjection) => p.parseRules !== undefined);
  return [
    { name: 'experiments', check: (parameters) => experimentRules(parameters) },
    { name: LIFECYCLE_POLICY_NAME, check: (parameters) => rulesOf({ ruleSetId: 'check', version: 1, parameters, eventId: '', globalPosition: 0n }) },
    ...projections.map((p) => ({ name: p.name, check: (parameters: RuleValues) => resolveRules(p, parameters) })),
  ];
}

export function ruleSetProblems(parameters: RuleValues): RuleSetProblem[] {
  const problems: RuleSetProblem[] = [];
  for (const family of families()) {
    try {
      family.check(parameters);
    } catch (error) {
      problems.push(...asProblems(error, family.name, parameters));
    }
  }
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(`${p.field}\u0000${p.reason}`) && seen.add(`${p.field}\u0000${p.reason}`));
}

function asProblems(error: unknown, family: string, parameters: RuleValues): RuleSetProblem[] {
  if (!(error instanceof ZodError)) return [{ field: family, reason: (error as Error).message }];
  const block = parameters[family];
  const own = block !== null && typeof block === 'object' && !Array.isArray(block) ? (block as RuleValues) : {};
  return error.issues.map((issue) => {
    const [name, ...rest] = issue.path.map(String);
    const field = name === undefined ? family : [name in own ? `${family}.${name}` : name, ...rest].join('.');
    return { field, reason: `${issue.message} (${family} rules)` };
  });
}
