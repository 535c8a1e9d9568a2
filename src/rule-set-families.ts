/**
 * Every rule family a rule set can override, each described by its feature: the experiment analysis, the
 * lifecycle policy (bandit rules), each registered projection that has rules (trends, outcome counts) and the
 * statistical trends' query-time false-discovery rules, the CI gate's rules, and lesson-draft detection.
 * Here, where the app is put together, so the rule-set module itself depends on no feature.
 */
import { draftRuleFamily } from './drafts/draft-rule-family.js';
import { experimentRuleFamily } from './experiments/experiment-rule-family.js';
import { ciGateRuleFamily } from './eval-read-models/read-model/ci-gate-rule-family.js';
import { trendsFdrRuleFamily } from './eval-read-models/read-model/trends-fdr-rule-family.js';
import { injectionGateRuleFamily } from './injection-gate/injection-gate-rule-family.js';
import { lifecyclePolicyRuleFamily } from './lifecycle/policy/policy-rule-family.js';
import { REGISTERED_PROJECTIONS } from './projection-engine/registered-projections.js';
import { RuleFamilyRegistry } from './rule-sets/rule-family-registry.js';
import { hasRules, projectionRuleFamily } from './rule-sets/rule-family.js';

export const RULE_FAMILIES = new RuleFamilyRegistry()
  .register(experimentRuleFamily)
  .register(lifecyclePolicyRuleFamily)
  .register(...REGISTERED_PROJECTIONS.filter(hasRules).map(projectionRuleFamily))
  .register(trendsFdrRuleFamily)
  .register(ciGateRuleFamily)
  .register(injectionGateRuleFamily)
  .register(draftRuleFamily);
