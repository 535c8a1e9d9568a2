/**
 * A rule set's definitions live in its own stream, `rule-set-<id>`: every reader asks that stream, never the
 * whole log, so a lookup costs one short stream read however long the log grows.
 */
import type { RecordedEvent } from '../../contracts/envelope.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { latestRuleSet, type RuleSetVersion } from './rule-set-versions.js';

export function ruleSetStreamId(ruleSetId: string): string {
  return `rule-set-${ruleSetId}`;
}

export function readRuleSetStream(store: EventStore, ruleSetId: string): Promise<RecordedEvent[]> {
  return store.readStream(ruleSetStreamId(ruleSetId));
}

/** The latest definition of a rule set, or null when none defines it. */
export async function readRuleSet(store: EventStore, ruleSetId: string): Promise<RuleSetVersion | null> {
  return latestRuleSet(await readRuleSetStream(store, ruleSetId), ruleSetId);
}
