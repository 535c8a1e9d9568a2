/**
 * The simulated run of the issue: three lessons with true reward rates 0.7, 0.5 and 0.3, Thompson sampling
 * (top-1) under rule set `sim`, the lifecycle policy running live on the projection engine. The policy must
 * archive the worst lesson and only it, and flag the middle one (0.5) for mutation once its interval is
 * narrow, and only it; its audit must name the exact rule (and the RuleSetDefined event)
 * and the exact selection/reward events; and replaying the world's events from scratch into another
 * database must give the same posteriors and the same decision events, bit for bit.
 */
import { jest } from '@jest/globals';
import type { LessonFlaggedForMutationData } from '../../contracts/bandit.js';
import type { LessonStatusChangedData } from '../../contracts/lesson.js';
import { foldPosteriors, lessonArms, POSTERIOR_EVENT_TYPES } from '../../projections/bandit/posterior.js';
import { LifecyclePolicyRunner } from '../../src/lifecycle/lifecycle-policy-runner.js';
import { auditLesson } from '../../src/lifecycle/audit/audit-lesson.js';
import { counterfactualArchive } from '../../src/lifecycle/audit/counterfactual.js';
import { loadPolicyState } from '../../src/lifecycle/policy/policy-dispatcher.js';
import { banditRules } from '../../projections/bandit/bandit-rules.js';
import { applyPolicyEvent, decisionEventId, emptyPolicyState, mutationFlagEventId, type PolicyDecision } from '../../src/lifecycle/policy/policy-state.js';
import { policyRules } from '../../src/lifecycle/policy/policy-rule-sets.js';
import { openTestDatabase, type TestDatabase } from '../support/test-database.js';
import {
  copyEvents,
  createSimLessons,
  defineSimRuleSet,
  inputEvents,
  policyEvents,
  readWholeLog,
  runSimulation,
  SIM_RULE_SET,
} from './support/simulation.js';

const SESSIONS = 150;
const processor = { pollIntervalMs: 20, leaseTtlMs: 3000, instanceCheckMs: 500 };
const posteriorsOf = (events: Awaited<ReturnType<typeof readWholeLog>>, rules: ReturnType<typeof banditRules>) => {
  const state = foldPosteriors(events.filter((e) => (POSTERIOR_EVENT_TYPES as readonly string[]).includes(e.type)), rules);
  return ['lesson-good', 'lesson-medium', 'lesson-bad'].map((id) => lessonArms(state, id, rules));
};

describe('simulated bandit run (true rates 0.7 / 0.5 / 0.3) with the lifecycle policy live', () => {
  jest.setTimeout(180_000);
  let db: TestDatabase;
  let runner: LifecyclePolicyRunner;

  beforeAll(async () => {
    db = await openTestDatabase();
    await defineSimRuleSet(db.store);
    await createSimLessons(db.store);
    runner = new LifecyclePolicyRunner(db.sql, db.store, { ruleSetId: SIM_RULE_SET, processor });
    await runner.start();
    await runSimulation(db.store, { sessions: SESSIONS, afterSession: (_i, position) => runner.settled(position) });
    await runner.settled();
  });

  afterAll(async () => {
    await runner?.stop();
    await db?.close();
  });

  it('archives the worst lesson, and only it, citing rule archive-low-mean of rule set sim v1', async () => {
    const events = await readWholeLog(db.store);
    const archived = events.filter((e) => e.type === 'LessonStatusChanged' && (e.data as LessonStatusChangedData).to === 'archived');
    expect(archived).toHaveLength(1);
    const decision = archived[0]!;
    const data = decision.data as LessonStatusChangedData;
    expect(data).toMatchObject({ lessonId: 'lesson-bad', from: 'active', decidedBy: 'policy', ruleSetId: SIM_RULE_SET, ruleSetVersion: 1 });
    expect(data.evidence?.rule).toBe('archive-low-mean');
    expect(data.evidence!.numbers.mean).toBeLessThan(0.4);
    expect(data.evidence!.numbers.n).toBeGreaterThanOrEqual(8);
    const rules = (await policyRules(db.store, SIM_RULE_SET))!;
    expect(decision.eventId).toBe(decisionEventId(rules, 'lesson-bad', 'archive-low-mean', decision.metadata.causationId!));
    // After the archive the worst lesson is never selected again.
    const selectionsAfter = events.filter((e) => e.type === 'LessonArmsSampled' && e.globalPosition > decision.globalPosition);
    expect(selectionsAfter.length).toBeGreaterThan(0);
    expect(selectionsAfter.every((e) => !(e.data as { candidates: { lessonId: string }[] }).candidates.some((c) => c.lessonId === 'lesson-bad'))).toBe(true);
    // The posterior ranks the lessons as their true rates do.
    const [good, medium, bad] = posteriorsOf(events, rules).map((arms) => arms[0]!);
    expect(good!.mean).toBeGreaterThan(medium!.mean);
    expect(medium!.mean).toBeGreaterThan(bad!.mean);
  });

  it('flags the middle lesson (true rate 0.5) for mutation, once, citing rule flag-stalled-middle-band; the audit shows it', async () => {
    const events = await readWholeLog(db.store);
    const flags = events.filter((e) => e.type === 'LessonFlaggedForMutation');
    expect(flags).toHaveLength(1);
    const flag = flags[0]!;
    const data = flag.data as LessonFlaggedForMutationData;
    expect(flag.streamId).toBe('mutation-flag-lesson-medium');
    expect(data).toMatchObject({ lessonId: 'lesson-medium', reason: 'stalled-middle-band', decidedBy: 'policy', ruleSetId: SIM_RULE_SET, ruleSetVersion: 1 });
    expect(data.evidence.rule).toBe('flag-stalled-middle-band');
    const n = data.evidence.numbers;
    expect(n.n).toBeGreaterThanOrEqual(50);
    expect(n.mean).toBeGreaterThanOrEqual(0.4);
    expect(n.mean).toBeLessThanOrEqual(0.6);
    expect(n.upper! - n.lower!).toBeLessThanOrEqual(0.25);
    const rules = (await policyRules(db.store, SIM_RULE_SET))!;
    expect(flag.eventId).toBe(mutationFlagEventId(rules, 'lesson-medium', 'stalled-middle-band'));
    const audit = auditLesson(events, 'lesson-medium');
    expect(audit.statusChanges).toEqual([]);
    expect(audit.mutationFlags).toHaveLength(1);
    expect(audit.mutationFlags[0]!.rule).toMatchObject({ name: 'flag-stalled-middle-band', ruleSetId: SIM_RULE_SET, ruleSetVersion: 1 });
    expect(audit.mutationFlags[0]!.evidence.events.every((e) => e.found)).toBe(true);
    const last = audit.mutationFlags[0]!.trajectory.at(-1)!;
    expect({ alpha: last.alpha, beta: last.beta, n: last.n }).toEqual({ alpha: n.alpha, beta: n.beta, n: n.n });
  });

  it('the audit names the exact rule, rule-set definition and evidence events, and its trajectory ends at the decision numbers', async () => {
    const events = await readWholeLog(db.store);
    const audit = auditLesson(events, 'lesson-bad');
    expect(audit.statusChanges).toHaveLength(1);
    const change = audit.statusChanges[0]!;
    const ruleSetEvent = events.find((e) => e.type === 'RuleSetDefined')!;
    expect(change.rule).toMatchObject({ name: 'archive-low-mean', ruleSetId: SIM_RULE_SET, ruleSetVersion: 1, definedBy: { eventId: ruleSetEvent.eventId } });
    expect(change.rule!.parameters).toMatchObject({ archiveBelowMean: 0.4, archiveMinRewards: 8, topK: 1 });
    // The evidence events are exactly the selections of lesson-bad and their rewards, up to the decision.
    const rewardedSessions = new Set(change.trajectory.map((p) => p.sessionId));
    const expected = events
      .filter((e) => e.globalPosition < BigInt(change.decision.globalPosition))
      .filter((e) => rewardedSessions.has((e.data as { sessionId?: string }).sessionId ?? '') && (e.type === 'LessonArmsSampled' || e.type === 'SessionRewardObserved'))
      .map((e) => e.eventId);
    expect(change.evidence!.events.every((e) => e.found)).toBe(true);
    expect(change.evidence!.events.map((e) => e.eventId).sort()).toEqual([...expected].sort());
    const last = change.trajectory[change.trajectory.length - 1]!;
    expect({ alpha: last.alpha, beta: last.beta, mean: last.mean, n: last.n }).toEqual({
      alpha: change.evidence!.numbers.alpha,
      beta: change.evidence!.numbers.beta,
      mean: change.evidence!.numbers.mean,
      n: change.evidence!.numbers.n,
    });
    expect(change.trajectory.map((p) => p.reward).every((r) => r === 0 || r === 1)).toBe(true);
    expect(change.editsBefore.map((e) => e.type)).toEqual(['LessonCreated']);
    expect(change.decision.actor).toBe('policy:sim');
  });

  it('counterfactual: a laxer rule set would not have archived it; rule set sim would have, on the very reward that triggered it; nothing is written', async () => {
    const events = await readWholeLog(db.store);
    const lax = counterfactualArchive(events, 'lesson-bad', banditRules({ ruleSetId: 'lax', archiveBelowMean: 0.1, archiveMinRewards: 15, topK: 1 }));
    expect(lax.wouldArchive).toBe(false);
    expect(lax.actuallyArchived).toMatchObject({ decidedBy: 'policy', ruleSetId: SIM_RULE_SET });
    const same = counterfactualArchive(events, 'lesson-bad', (await policyRules(db.store, SIM_RULE_SET))!);
    const actual = events.find((e) => e.eventId === same.actuallyArchived!.eventId)!;
    expect(same.wouldArchive).toBe(true);
    expect(same.at!.triggeringEventId).toBe(actual.metadata.causationId);
    const countBefore = events.length;
    expect((await readWholeLog(db.store)).length).toBe(countBefore);
  });

  it('replaying from scratch in the same log: a new instance reaches the same posteriors bit for bit and appends nothing', async () => {
    const before = await readWholeLog(db.store);
    const liveInstance = runner.currentInstance!;
    const live = await loadPolicyState(db.sql, liveInstance);
    const rebuiltInstance = await runner.rebuild();
    expect(rebuiltInstance).not.toBe(liveInstance);
    await runner.settled();
    const after = await readWholeLog(db.store);
    expect(after.length).toBe(before.length);
    const rebuilt = await loadPolicyState(db.sql, rebuiltInstance);
    expect(JSON.stringify(rebuilt!.posterior)).toBe(JSON.stringify(live!.posterior));
    expect(JSON.stringify(rebuilt!.lessons)).toBe(JSON.stringify(live!.lessons));
    // The pure fold over the same log takes exactly the recorded decisions: same ids, same evidence, same reason.
    const rules = (await policyRules(db.store, SIM_RULE_SET))!;
    const taken: PolicyDecision[] = [];
    const state = emptyPolicyState();
    for (const event of after) taken.push(...applyPolicyEvent(state, event, rules));
    const recorded = policyEvents(after);
    expect(taken.map((d) => d.eventId)).toEqual(recorded.map((e) => e.eventId));
    taken.forEach((decision, i) => {
      const data = recorded[i]!.data as { evidence: unknown; reason: string };
      // toEqual compares numbers with Object.is: bit for bit (jsonb only reorders the keys).
      expect(data.evidence).toEqual(decision.command.evidence);
      expect(data.reason).toBe(decision.command.kind === 'flag-mutation' ? decision.command.data.reason : decision.command.reason);
    });
  });

  it('replaying the world\'s events into an empty database gives the same decision events (ids, data, metadata) and posteriors', async () => {
    const events = await readWholeLog(db.store);
    const rules = (await policyRules(db.store, SIM_RULE_SET))!;
    const replica = await openTestDatabase();
    try {
      await copyEvents(inputEvents(events), replica.store);
      const replay = new LifecyclePolicyRunner(replica.sql, replica.store, { ruleSetId: SIM_RULE_SET, processor });
      await replay.start();
      await replay.settled();
      await replay.stop();
      const replayed = await readWholeLog(replica.store);
      // Global positions are positions in each database's own log (the decisions sit elsewhere in it), so the
      // evidence's positions are compared through the event ids they stand for.
      const positionsById = (es: typeof events) => new Map(es.map((e) => [e.globalPosition.toString(), e.eventId]));
      const normalise = (es: typeof events, all: typeof events) => {
        const ids = positionsById(all);
        return es.map((e) => {
          const data = structuredClone(e.data) as { evidence: { globalPositions: string[] } };
          data.evidence.globalPositions = data.evidence.globalPositions.map((p) => ids.get(p)!);
          return JSON.stringify({ id: e.eventId, type: e.type, stream: e.streamId, data, metadata: e.metadata });
        });
      };
      expect(policyEvents(events).map((e) => e.type).sort()).toEqual(['LessonFlaggedForMutation', 'LessonMatchChanged', 'LessonStatusChanged']);
      expect(normalise(policyEvents(replayed), replayed)).toEqual(normalise(policyEvents(events), events));
      expect(JSON.stringify(posteriorsOf(replayed, rules))).toBe(JSON.stringify(posteriorsOf(events, rules)));
    } finally {
      await replica.close();
    }
  });
});
