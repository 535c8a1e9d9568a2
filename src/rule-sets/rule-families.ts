/**
 * Every rule family a rule set can override: the experiment analysis, the lifecycle policy (bandit rules) and
 * each registered projection that has rules (trends, outcome counts). A family's parameter names are the names
 * of its own defaults, so a new rule in a family is known here without being listed twice.
 */
import { BANDIT_RULE_PARAMETERS } from '../../projections/bandit/bandit-rules.js';
import { DEFAULT_EXPERIMENT_RULES, EXPERIMENT_RULES_NAME, experimentRules } from '../../projections/experiments/experiment-rules.js';
import { resolveRules, type AnyProjection, type RuleValues } from '../../projections/machinery/projection.js';
import { LIFECYCLE_POLICY_NAME } from '../../projections/lifecycle/lifecycle-policy.js';
import { rulesOf } from '../lifecycle/policy/policy-rule-sets.js';
import { REGISTERED_PROJECTIONS } from '../projection-engine/registered-projections.js';

export interface RuleFamily {
  /** The name of the family's own block in the parameters (`parameters[name]` overrides the top level). */
  name: string;
  /** The parameter names a rule set may give this family. */
  parameterNames: readonly string[];
  /** Reads a rule set's parameters as the family does; throws to refuse them. */
  check: (parameters: RuleValues) => unknown;
}

export function ruleFamilies(): RuleFamily[] {
  const projections = REGISTERED_PROJECTIONS.filter((p: AnyProjection) => Object.keys(p.defaultRules).length > 0);
  return [
    {
      name: EXPERIMENT_RULES_NAME,
      parameterNames: Object.keys(DEFAULT_EXPERIMENT_RULES),
      check: (parameters) => experimentRules(parameters),
    },
    {
      name: LIFECYCLE_POLICY_NAME,
      parameterNames: BANDIT_RULE_PARAMETERS,
      check: (parameters) => rulesOf({ ruleSetId: 'check', version: 1, parameters, eventId: '', globalPosition: 0n }),
    },
    ...projections.map((p) => ({
      name: p.name,
      parameterNames: Object.keys(p.defaultRules),
      check: (parameters: RuleValues) => resolveRules(p, parameters),
    })),
  ];
}
