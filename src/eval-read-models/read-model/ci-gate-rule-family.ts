/** The CI gate's rules as a rule family: query-time rules, read as the CI gate reader reads them. */
import { CI_GATE_FAMILY, CI_GATE_PARAMETERS, resolveCiGateRules } from '../../../projections/eval/ci-gate-rules.js';
import type { RuleFamily } from '../../rule-sets/rule-family.js';

export const ciGateRuleFamily: RuleFamily = {
  name: CI_GATE_FAMILY,
  parameterNames: CI_GATE_PARAMETERS,
  check: (parameters) => resolveCiGateRules(parameters),
};
