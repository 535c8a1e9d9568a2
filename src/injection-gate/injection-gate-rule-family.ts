/** The injection gate's rules as a rule family: query-time rules, read as the gate reader reads them. */
import { INJECTION_GATE_FAMILY, INJECTION_GATE_PARAMETERS, resolveInjectionGateRules } from '../../projections/injection-gate/gate-rules.js';
import type { RuleFamily } from '../rule-sets/rule-family.js';

export const injectionGateRuleFamily: RuleFamily = {
  name: INJECTION_GATE_FAMILY,
  parameterNames: INJECTION_GATE_PARAMETERS,
  check: (parameters) => resolveInjectionGateRules(parameters),
};
