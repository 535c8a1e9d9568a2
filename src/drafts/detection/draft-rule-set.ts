/** The detection rules a rule set gives (its latest definition), or the defaults for `default`. */
import { DEFAULT_DRAFT_RULES, resolveDraftRules, type DraftRules } from '../../../projections/drafts/draft-rules.js';
import type { EventStore } from '../../event-store/event-store.port.js';
import { readRuleSet } from '../../rule-sets/rule-set-stream.js';

export const DEFAULT_DRAFT_RULE_SET = 'default';

export class UnknownDraftRuleSetError extends Error {
  constructor(readonly ruleSetId: string) {
    super(`Unknown rule set "${ruleSetId}": no RuleSetDefined event has that ruleSetId`);
    this.name = 'UnknownDraftRuleSetError';
  }
}

export async function draftRulesOf(store: EventStore, ruleSetId: string = DEFAULT_DRAFT_RULE_SET): Promise<{ rules: DraftRules; ruleSet: { id: string; version: number } }> {
  if (ruleSetId === DEFAULT_DRAFT_RULE_SET) return { rules: DEFAULT_DRAFT_RULES, ruleSet: { id: DEFAULT_DRAFT_RULE_SET, version: 0 } };
  const found = await readRuleSet(store, ruleSetId);
  if (found === null) throw new UnknownDraftRuleSetError(ruleSetId);
  return { rules: resolveDraftRules(found.parameters as never), ruleSet: { id: ruleSetId, version: found.version } };
}
