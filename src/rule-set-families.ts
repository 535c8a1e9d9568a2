/**
 * Every rule family a rule set can override, each described by its feature: the experiment analysis, the
 * lifecycle policy (bandit rules) and each registered projection that has rules (trends, outcome counts).
 * Here, where the app is put together, so the rule-set module itself depends on no feature.
 */
import { experimentRuleFamily } from './experiments/experiment-rule-family.js';
import { lifecyclePolicyRuleFamily } from './lifecycle/policy/policy-rule-family.js';
import { REGISTERED_PROJECTIONS } from './projection-engine/registered-projections.js';
import { RuleFamilyRegistry } from './rule-sets/rule-family-registry.js';
import { hasRules, projectionRuleFamily } from './rule-sets/rule-family.js';

export const RULE_FAMILIES = new RuleFamilyRegistry()
  .register(experimentRuleFamily)
  .register(lifecyclePolicyRuleFamily)
  .register(...REGISTERED_PROJECTIONS.filter(hasRules).map(projectionRuleFamily));
