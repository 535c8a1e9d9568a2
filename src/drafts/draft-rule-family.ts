/** Lesson-draft detection's rules as a rule family: a rule set may override them (top level or `lesson-drafts`). */
import { DRAFT_RULE_FAMILY, DRAFT_RULE_PARAMETERS, resolveDraftRules } from '../../projections/drafts/draft-rules.js';
import type { RuleFamily } from '../rule-sets/rule-family.js';

export const draftRuleFamily: RuleFamily = {
  name: DRAFT_RULE_FAMILY,
  parameterNames: DRAFT_RULE_PARAMETERS,
  check: (parameters) => resolveDraftRules(parameters),
};
