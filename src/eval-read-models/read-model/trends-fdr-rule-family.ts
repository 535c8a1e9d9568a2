/** The statistical trends' false-discovery rules as a rule family: query-time rules, read as the trends reader reads them. */
import { resolveTrendsFdrRules, TRENDS_FDR_FAMILY, TRENDS_FDR_PARAMETERS } from '../../../projections/eval/trends-false-discovery.js';
import type { RuleFamily } from '../../rule-sets/rule-family.js';

export const trendsFdrRuleFamily: RuleFamily = {
  name: TRENDS_FDR_FAMILY,
  parameterNames: TRENDS_FDR_PARAMETERS,
  check: (parameters) => resolveTrendsFdrRules(parameters),
};
