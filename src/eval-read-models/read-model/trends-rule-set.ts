/**
 * Which `trends` instance answers for a rule set, decided as the rule-set compare decides it (trendSource): the
 * rule set's own instance when it changes the trend rules, else the default instance (its labels are the
 * defaults'). Rule sets are immutable, so a found definition is remembered.
 */
import type { RuleValues } from '../../../projections/machinery/projection.js';
import type { EventStore } from '../../event-store/event-store.port.js';
import { normaliseRuleSetId } from '../../projection-engine/instances/instance-id.js';
import { UnknownRuleSetError } from '../../projection-engine/instances/rule-sets.js';
import { DEFAULT_TRENDS_FDR_RULES, resolveTrendsFdrRules, type TrendsFdrRules } from '../../../projections/eval/trends-false-discovery.js';
import { trendSource } from '../../rule-set-analyses/trend-compare.js';
import { readRuleSet } from '../../rule-sets/rule-set-stream.js';

/** The name the rule-set compare also accepts for the default rules. */
export const DEFAULT_RULES_NAME = 'default';

export interface TrendsInstanceChoice {
  /** The rule set asked for; null for the default rules. */
  ruleSet: string | null;
  /** The rule set whose instance answers; null: the default instance. */
  instanceRuleSet: string | null;
  /** The command that builds that instance (named in the 503 when it is not built). */
  build: string | undefined;
  /** The query-time false-discovery rules (never part of an instance: they change no stored document). */
  fdr: TrendsFdrRules;
}

export function trendsRuleSetResolver(store: EventStore) {
  const known = new Map<string, RuleValues>();
  return async function trendsInstanceFor(ruleSet: string | undefined): Promise<TrendsInstanceChoice> {
    if (ruleSet === undefined || ruleSet === DEFAULT_RULES_NAME) return { ruleSet: null, instanceRuleSet: null, build: undefined, fdr: DEFAULT_TRENDS_FDR_RULES };
    normaliseRuleSetId(ruleSet); // a malformed id is a 400 before the store is asked
    let parameters = known.get(ruleSet);
    if (parameters === undefined) {
      const defined = await readRuleSet(store, ruleSet);
      if (!defined) throw new UnknownRuleSetError(ruleSet);
      parameters = defined.parameters as RuleValues;
      known.set(ruleSet, parameters);
    }
    const { instanceRuleSet } = trendSource(ruleSet, parameters);
    const build = instanceRuleSet ? `lessonloop projections rebuild trends --rule-set ${instanceRuleSet}` : undefined;
    return { ruleSet, instanceRuleSet, build, fdr: resolveTrendsFdrRules(parameters) };
  };
}
