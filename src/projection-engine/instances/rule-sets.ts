/**
 * Where a rule set's parameters come from when an instance is created for it. Rule sets are events
 * (`RuleSetDefined`); the default source reads the latest definition from the rule set's own stream. Another
 * RuleSetSource can be provided under RULE_SET_SOURCE.
 */
import type { RuleValues } from '../../../projections/machinery/projection.js';
import type { EventStore } from '../../event-store/event-store.port.js';
import { readRuleSet } from '../../rule-sets/rule-set-stream.js';

export interface RuleSetSource {
  /** The parameters of a rule set, or null when it is not defined. */
  parameters(ruleSetId: string): Promise<RuleValues | null>;
}

export const RULE_SET_SOURCE = Symbol('RULE_SET_SOURCE');

export class UnknownRuleSetError extends Error {
  constructor(readonly ruleSetId: string) {
    super(`Unknown rule set "${ruleSetId}": no RuleSetDefined event has that ruleSetId`);
    this.name = 'UnknownRuleSetError';
  }
}

export function storeRuleSetSource(store: EventStore): RuleSetSource {
  return {
    async parameters(ruleSetId) {
      return ((await readRuleSet(store, ruleSetId))?.parameters as RuleValues | undefined) ?? null;
    },
  };
}

/** Fixed rule sets (tests, or rule sets configured in code). */
export function staticRuleSetSource(ruleSets: Record<string, RuleValues>): RuleSetSource {
  return { parameters: async (ruleSetId) => ruleSets[ruleSetId] ?? null };
}
