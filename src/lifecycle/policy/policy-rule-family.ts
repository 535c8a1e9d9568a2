/** The lifecycle policy's (and the bandit's) rules as a rule family, read as the policy reads a rule set. */
import { BANDIT_RULE_PARAMETERS } from '../../../projections/bandit/bandit-rules.js';
import type { RuleFamily } from '../../rule-sets/rule-family.js';
import { LIFECYCLE_POLICY_NAME } from '../../../projections/lifecycle/lifecycle-policy.js';
import { rulesOf } from './policy-rule-sets.js';

export const lifecyclePolicyRuleFamily: RuleFamily = {
  name: LIFECYCLE_POLICY_NAME,
  parameterNames: BANDIT_RULE_PARAMETERS,
  check: (parameters) => rulesOf({ ruleSetId: 'check', version: 1, parameters, eventId: '', globalPosition: 0n }),
};
