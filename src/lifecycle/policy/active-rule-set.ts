/**
 * Which rule set the bandit and the lifecycle policy act under in this process: LESSONLOOP_POLICY_RULE_SET
 * (a RuleSetDefined id), or the built-in defaults when unset. Read from the environment directly (it is not
 * part of AppConfig yet).
 */
import type { BanditRules } from '../../../projections/bandit-rules.js';
import type { EventStore } from '../../event-store/event-store.port.js';
import { policyRules } from './policy-rule-sets.js';

export const POLICY_RULES = Symbol('POLICY_RULES');

export function activeRuleSetId(env: Record<string, string | undefined> = process.env): string | null {
  const value = env.LESSONLOOP_POLICY_RULE_SET?.trim();
  return value ? value : null;
}

export async function loadActiveRules(store: EventStore, ruleSetId = activeRuleSetId()): Promise<BanditRules> {
  const rules = await policyRules(store, ruleSetId);
  if (!rules) throw new Error(`LESSONLOOP_POLICY_RULE_SET=${ruleSetId}: no RuleSetDefined event has that ruleSetId`);
  return rules;
}
