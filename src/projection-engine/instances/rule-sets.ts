/**
 * Where a rule set's parameters come from when an instance is created for it. Rule sets are events
 * (`RuleSetDefined`); the default source scans the store for the latest definition of the id, which reads
 * every event once per lookup (lookups happen only when a rule-set instance is created). A read model of
 * rule sets can replace it by providing another RuleSetSource under RULE_SET_SOURCE.
 */
import type { RuleSetDefinedData } from '../../../contracts/analysis.js';
import type { Position } from '../../../contracts/envelope.js';
import type { RuleValues } from '../../../projections/machinery/projection.js';
import type { EventStore } from '../../event-store/event-store.port.js';

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

export function storeRuleSetSource(store: EventStore, pageSize = 5000): RuleSetSource {
  return {
    async parameters(ruleSetId) {
      let found: RuleValues | null = null;
      let after: Position | undefined;
      for (;;) {
        const page = await store.readAll({ ...(after ? { after } : {}), maxCount: pageSize });
        for (const event of page) {
          if (event.type !== 'RuleSetDefined') continue;
          const data = event.data as RuleSetDefinedData;
          if (data.ruleSetId === ruleSetId) found = data.parameters as RuleValues;
        }
        if (page.length < pageSize) return found;
        after = page[page.length - 1]!.position;
      }
    },
  };
}

/** Fixed rule sets (tests, or rule sets configured in code). */
export function staticRuleSetSource(ruleSets: Record<string, RuleValues>): RuleSetSource {
  return { parameters: async (ruleSetId) => ruleSets[ruleSetId] ?? null };
}
