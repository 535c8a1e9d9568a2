/**
 * The policy's rules for a rule set: the latest definition of that id overrides the defaults, its version is
 * how many times the id was defined (1 for the first). Also a RuleSetSource for the engine that adds
 * `ruleSetId` and `ruleSetVersion` to the parameters, so every decision cites both.
 */
import { banditRules, DEFAULT_POLICY_RULE_SET_ID, type BanditRules } from '../../../projections/bandit/bandit-rules.js';
import type { EventStore } from '../../event-store/event-store.port.js';
import type { RuleSetSource } from '../../projection-engine/instances/rule-sets.js';
import { readRuleSet } from '../../rule-sets/rule-set-stream.js';
import type { RuleSetVersion } from '../../rule-sets/rule-set-versions.js';

/** The rules a rule set stands for; the built-in defaults for the default id. */
export function rulesOf(ruleSet: RuleSetVersion | null): BanditRules {
  if (!ruleSet) return banditRules();
  const scoped = ruleSet.parameters['lifecycle-policy'];
  const own = scoped !== null && typeof scoped === 'object' && !Array.isArray(scoped) ? (scoped as Record<string, unknown>) : {};
  return banditRules({ ...ruleSet.parameters, ...own, ruleSetId: ruleSet.ruleSetId, ruleSetVersion: ruleSet.version });
}

export async function policyRules(store: EventStore, ruleSetId?: string | null): Promise<BanditRules | null> {
  if (!ruleSetId || ruleSetId === DEFAULT_POLICY_RULE_SET_ID) return banditRules();
  const found = await readRuleSet(store, ruleSetId);
  return found ? rulesOf(found) : null;
}

/** For the engine: a rule set's parameters with its id and version, as the policy projection reads them. */
export function policyRuleSetSource(store: EventStore): RuleSetSource {
  return {
    async parameters(ruleSetId) {
      const found = await readRuleSet(store, ruleSetId);
      return found ? { ...rulesOf(found) } : null;
    },
  };
}
