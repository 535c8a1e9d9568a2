/**
 * Which rule set the bandit and the lifecycle policy act under in this process: AppConfig's
 * LESSONLOOP_POLICY_RULE_SET (a RuleSetDefined id), or the built-in defaults when unset. An id no
 * RuleSetDefined event defines stops the start with a message naming it.
 */
import type { BanditRules } from '../../../projections/bandit/bandit-rules.js';
import type { AppConfig } from '../../config/app-config.js';
import type { EventStore } from '../../event-store/event-store.port.js';
import { policyRules } from './policy-rule-sets.js';

export const POLICY_RULES = Symbol('POLICY_RULES');

export function activeRuleSetId(config: Pick<AppConfig, 'LESSONLOOP_POLICY_RULE_SET'>): string | null {
  return config.LESSONLOOP_POLICY_RULE_SET ?? null;
}

export async function loadActiveRules(store: EventStore, ruleSetId: string | null): Promise<BanditRules> {
  const rules = await policyRules(store, ruleSetId);
  if (!rules) throw new Error(`LESSONLOOP_POLICY_RULE_SET=${ruleSetId}: no RuleSetDefined event has that ruleSetId`);
  return rules;
}
