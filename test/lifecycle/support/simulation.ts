/**
 * A simulated bandit run for the lifecycle specs: three lessons matched by the same text, each with a true
 * reward rate; every session selects (top-1 by theta) and is rewarded 1 with the selected lesson's rate.
 * Everything random is seeded (selection seeds `sim-<i>`, rewards from a seeded uniform), and the policy is
 * given time to act after each session, so the run is the same every time.
 */
import { newEvent } from '../../../contracts/catalogue.js';
import { comparePositions, type Position, type RecordedEvent } from '../../../contracts/envelope.js';
import { BanditService } from '../../../src/bandit/bandit.service.js';
import { seededBetaSampler } from '../../../src/bandit/beta-sampler.js';
import type { EventStore } from '../../../src/event-store/event-store.port.js';
import { decideLesson } from '../../../src/lessons/domain/decide-lesson.js';
import { lessonStreamId } from '../../../src/lessons/domain/lesson-stream.js';
import { toNewEvents } from '../../../src/lessons/store/lesson-events.js';
import { readWholeLog } from '../../../src/event-store/read-whole-log.js';
import { policyRules } from '../../../src/lifecycle/policy/policy-rule-sets.js';

export const TRUE_RATES: Record<string, number> = { 'lesson-good': 0.7, 'lesson-medium': 0.5, 'lesson-bad': 0.3 };
export const SIM_RULE_SET = 'sim';
export const SIM_PARAMETERS = {
  topK: 1,
  archiveMinRewards: 8,
  archiveBelowMean: 0.4,
  promoteMinRewards: 30,
  promoteAboveLower: 0.55,
  // Flag for mutation: mean in [0.4, 0.6] (the defaults) after 50 rewards with a 90% interval no wider than 0.25.
  flagMinRewards: 50,
  flagMaxIntervalWidth: 0.25,
  // The simulated world's numbers are planted for every session; the holdout coin (a server seed) would make them vary.
  holdoutRate: 0,
  inclusionDraws: 0,
};

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();

/**
 * Waits until `position` is readable through readAll: on PostgreSQL the read horizon holds back a commit
 * while any older transaction on the server (another test's) is still open.
 */
export async function visibleThrough(store: EventStore, position: Position, waitMs = 10_000): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const head = await store.headPosition();
    if (head && comparePositions(head, position) >= 0) return;
    if (Date.now() > deadline) throw new Error('appended events did not become readable');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function defineSimRuleSet(store: EventStore): Promise<void> {
  const event = newEvent(
    'RuleSetDefined',
    { ruleSetId: SIM_RULE_SET, name: 'simulation', parameters: SIM_PARAMETERS, description: 'top-1, archive below 0.4 after 8 rewards, flag a middle mean after 50' },
    { occurredAt: at(0), source: 'test' },
  );
  await visibleThrough(store, (await store.appendToStream(`rule-set-${SIM_RULE_SET}`, [event])).position);
}

export async function createSimLessons(store: EventStore, lessonIds: readonly string[] = Object.keys(TRUE_RATES)): Promise<void> {
  for (const lessonId of lessonIds) {
    const drafts = decideLesson(null, {
      kind: 'create',
      lessonId,
      title: `Deploy lesson ${lessonId}`,
      category: 'workflow',
      body: `# Deploy lesson ${lessonId}\n\n## Rule\nCheck the deploy.\n\n## Detection\n- \`deploy failed\` in the output\n- rollback needed\n`,
      match: { keywords: ['deploy'] },
    });
    const result = await store.appendToStream(lessonStreamId(lessonId), toNewEvents(drafts, { occurredAt: at(1), source: 'test', actor: 'alice' }), {
      expectedRevision: 'no_stream',
    });
    await visibleThrough(store, result.position);
  }
}

export interface SimulationOptions {
  sessions: number;
  /** Called after each rewarded session with the position of its reward (e.g. to let the policy act). */
  afterSession?: (index: number, rewardPosition: Position) => Promise<void>;
}

export async function runSimulation(store: EventStore, options: SimulationOptions): Promise<void> {
  const rules = (await policyRules(store, SIM_RULE_SET))!;
  const bandit = new BanditService(store, rules);
  const uniform = seededBetaSampler('sim-rewards');
  for (let i = 0; i < options.sessions; i++) {
    const sessionId = `sim-${i}`;
    const selection = await bandit.selectLessons(sessionId, { text: 'the deploy broke', model: 'model-a', category: 'workflow', seed: `sim-${i}`, occurredAt: at(10 + 2 * i) });
    const chosen = selection.selected[0];
    const u = uniform(1, 1);
    const reward = chosen !== undefined && u < TRUE_RATES[chosen]! ? 1 : 0;
    await bandit.recordOutcome(sessionId, { reward, occurredAt: at(11 + 2 * i) });
    await options.afterSession?.(i, bandit.lastWrittenPosition!);
  }
  await visibleThrough(store, bandit.lastWrittenPosition!);
}

/** The events the world produced (everything but the policy's decisions), to replay elsewhere. */
export function inputEvents(events: readonly RecordedEvent[]): RecordedEvent[] {
  return events.filter((e) => e.metadata.source !== 'policy');
}

export async function copyEvents(events: readonly RecordedEvent[], store: EventStore): Promise<void> {
  let last: Position | undefined;
  for (const e of events) {
    last = (await store.appendToStream(e.streamId, [{ eventId: e.eventId, type: e.type, schemaVersion: e.schemaVersion, data: e.data, metadata: e.metadata }])).position;
  }
  if (last) await visibleThrough(store, last);
}

export const policyEvents = (events: readonly RecordedEvent[]) => events.filter((e) => e.metadata.source === 'policy');

export { readWholeLog };
