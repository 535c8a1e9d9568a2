/**
 * The definitions of a rule set among events in log order: the first `RuleSetDefined` of an id is version 1,
 * each later one of the same id the next version. Every reader of rule sets folds them here.
 */
import type { RuleSetDefinedData } from '../../contracts/analysis.js';
import type { RecordedEvent } from '../../contracts/envelope.js';

export interface RuleSetVersion {
  ruleSetId: string;
  version: number;
  parameters: Record<string, unknown>;
  /** The defining event. */
  eventId: string;
  globalPosition: bigint;
}

export interface RuleSetDefinition {
  version: RuleSetVersion;
  event: RecordedEvent;
}

/** Every definition of `ruleSetId` among `events`, version 1 first. */
export function ruleSetDefinitions(events: Iterable<RecordedEvent>, ruleSetId: string): RuleSetDefinition[] {
  const definitions: RuleSetDefinition[] = [];
  for (const event of events) {
    if (event.type !== 'RuleSetDefined') continue;
    const data = event.data as RuleSetDefinedData;
    if (data.ruleSetId !== ruleSetId) continue;
    const version = definitions.length + 1;
    definitions.push({ version: { ruleSetId, version, parameters: data.parameters, eventId: event.eventId, globalPosition: event.globalPosition }, event });
  }
  return definitions;
}

/** The latest definition of `ruleSetId` among `events`, or null. */
export function latestRuleSet(events: Iterable<RecordedEvent>, ruleSetId: string): RuleSetVersion | null {
  return ruleSetDefinitions(events, ruleSetId).at(-1)?.version ?? null;
}

/** The `version`-th definition (1-based) of a rule set among `events`; null when absent. */
export function ruleSetAtVersion(events: Iterable<RecordedEvent>, ruleSetId: string, version: number): RuleSetDefinition | null {
  return ruleSetDefinitions(events, ruleSetId)[version - 1] ?? null;
}
