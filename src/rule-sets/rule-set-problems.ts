/**
 * Every rule family a rule set can override, checked before a `RuleSetDefined` is appended: a rule set that one
 * family refuses (say `gamma: 0` for the lifecycle policy) would otherwise be stored and then fail wherever that
 * family reads it (the policy processor, the compare, the trends rebuild); a name no family knows would be
 * stored and ignored. Each problem names the field as the rule set spells it: `gamma`, or
 * `lifecycle-policy.gamma` when the value came from that family's own block.
 */
import { ZodError } from 'zod';
import type { RuleValues } from '../../projections/machinery/projection.js';
import type { RuleFamily, RuleSetProblem } from './rule-family.js';
import type { RuleFamilyRegistry } from './rule-family-registry.js';
import { unknownParameterProblems } from './unknown-rule-parameters.js';

export function ruleSetProblems(registry: RuleFamilyRegistry, parameters: RuleValues): RuleSetProblem[] {
  const families: readonly RuleFamily[] = registry.families();
  const problems = unknownParameterProblems(parameters, families);
  for (const family of families) {
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
