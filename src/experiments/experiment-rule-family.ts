/** The experiment analysis's rules as a rule family: what a rule set may give it and how it checks them. */
import { DEFAULT_EXPERIMENT_RULES, EXPERIMENT_RULES_NAME, experimentRules } from '../../projections/experiments/experiment-rules.js';
import type { RuleFamily } from '../rule-sets/rule-family.js';

export const experimentRuleFamily: RuleFamily = {
  name: EXPERIMENT_RULES_NAME,
  parameterNames: Object.keys(DEFAULT_EXPERIMENT_RULES),
  check: (parameters) => experimentRules(parameters),
};
