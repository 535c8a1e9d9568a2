/**
 * The policy's rules for a rule set: the latest `RuleSetDefined` of that id overrides the defaults, its
 * version is how many times the id was defined (1 for the first). Also a RuleSetSource for the engine that
 * adds `ruleSetId` and `ruleSetVersion` to the parameters, so every decision cites both. A rule set's
 * definitions are read from its own stream (`rule-set-<id>`), never by scanning the log.
 */
import type { RuleSetDefinedData } from '../../../contracts/analysis.js';
import { comparePositions, type Position, type RecordedEvent } from '../../../contracts/envelope.js';
import { banditRules, DEFAULT_POLICY_RULE_SET_ID, type BanditRules } from '../../../projections/bandit/bandit-rules.js';
import type { EventStore } from '../../event-store/event-store.port.js';
import type { RuleSetSource } from '../../projection-engine/instances/rule-sets.js';
import { ruleSetStreamId } from '../../rule-sets/define-rule-set.js';

export interface RuleSetVersion {
  ruleSetId: string;
  version: number;
  parameters: Record<string, unknown>;
  /** The defining event (the latest one). */
  eventId: string;
  globalPosition: bigint;
}

/** The latest definition of `ruleSetId` among `events` (in log order), or null. */
export function findRuleSet(events: Iterable<RecordedEvent>, ruleSetId: string): RuleSetVersion | null {
  let found: RuleSetVersion | null = null;
  let version = 0;
  for (const event of events) {
    if (event.type !== 'RuleSetDefined') continue;
    const data = event.data as RuleSetDefinedData;
    if (data.ruleSetId !== ruleSetId) continue;
    found = { ruleSetId, version: ++version, parameters: data.parameters, eventId: event.eventId, globalPosition: event.globalPosition };
  }
  return found;
}

/** The rules a rule set stands for; the built-in defaults for the default id. */
export function rulesOf(ruleSet: RuleSetVersion | null): BanditRules {
  if (!ruleSet) return banditRules();
  const scoped = ruleSet.parameters['lifecycle-policy'];
  const own = scoped !== null && typeof scoped === 'object' && !Array.isArray(scoped) ? (scoped as Record<string, unknown>) : {};
  return banditRules({ ...ruleSet.parameters, ...own, ruleSetId: ruleSet.ruleSetId, ruleSetVersion: ruleSet.version });
}

/**
 * Every readable event, in log order. With `atLeast`, first waits (up to `waitMs`) until that position is
 * readable: the read horizon can hold back a fresh commit while an older transaction is open.
 */
export async function readAllEvents(
  store: EventStore,
  options: { atLeast?: Position; waitMs?: number; pageSize?: number; after?: Position } = {},
): Promise<RecordedEvent[]> {
  const { atLeast, waitMs = 5000, pageSize = 5000 } = options;
  if (atLeast) {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const head = await store.headPosition();
      if ((head && comparePositions(head, atLeast) >= 0) || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
  const all: RecordedEvent[] = [];
  let after: Position | undefined = options.after;
  for (;;) {
    const page = await store.readAll({ ...(after ? { after } : {}), maxCount: pageSize });
    all.push(...page);
    if (page.length < pageSize) return all;
    after = page[page.length - 1]!.position;
  }
}

export async function policyRules(store: EventStore, ruleSetId?: string | null): Promise<BanditRules | null> {
  if (!ruleSetId || ruleSetId === DEFAULT_POLICY_RULE_SET_ID) return banditRules();
  const found = findRuleSet(await store.readStream(ruleSetStreamId(ruleSetId)), ruleSetId);
  return found ? rulesOf(found) : null;
}

/** For the engine: a rule set's parameters with its id and version, as the policy projection reads them. */
export function policyRuleSetSource(store: EventStore): RuleSetSource {
  return {
    async parameters(ruleSetId) {
      const found = findRuleSet(await store.readStream(ruleSetStreamId(ruleSetId)), ruleSetId);
      return found ? { ...rulesOf(found) } : null;
    },
  };
}
