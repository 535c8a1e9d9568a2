/**
 * The policy's third decision, given events / then decisions: a lesson whose posterior mean stays in the
 * middle band once the interval is narrow is flagged for mutation, once per (lesson, reason), never when
 * exempt; a new version of the rule set decides its own flag whatever the log order; the counterfactual and the
 * audit show the flag with its rule, evidence and the lesson's edits before it.
 */
import type { RecordedEvent } from '../../contracts/envelope.js';
import { banditRules } from '../../projections/bandit/bandit-rules.js';
import type { PosteriorSummary } from '../../projections/bandit/posterior.js';
import { auditLesson } from '../../src/lifecycle/audit/audit-lesson.js';
import { counterfactualArchive } from '../../src/lifecycle/audit/counterfactual.js';
import { renderAudit } from '../../src/lifecycle/audit/render-audit.js';
import { decidePolicy, type PolicyLessonView } from '../../src/lifecycle/policy/decide-policy.js';
import { foldPolicy, mutationFlagEventId, type PolicyDecision } from '../../src/lifecycle/policy/policy-state.js';
import { recorded, rewarded, sampled } from '../bandit/support/recorded.js';

const FLAG_PARAMETERS = { flagMinRewards: 20, flagMeanLow: 0.4, flagMeanHigh: 0.6, flagMaxIntervalWidth: 0.5 };
const rules = banditRules({ ruleSetId: 'flags', ...FLAG_PARAMETERS });
const view = (over: Partial<PolicyLessonView> = {}): PolicyLessonView => ({
  status: 'active', category: 'workflow', hasConfoundNote: false, flaggedExempt: false, keywords: ['k'], detectionKeywords: [], ...over,
});
const summary = (mean: number, n: number, lower: number, upper: number): PosteriorSummary => ({ armKey: 'l', alpha: 1, beta: 1, mean, lower, upper, n });

function created(lessonId: string, category = 'workflow'): RecordedEvent {
  return recorded('LessonCreated', {
    lessonId, title: lessonId, category, body: `# ${lessonId}`, status: 'active',
    match: { keywords: ['k'], patterns: [], tools: [], sessionCategories: [] },
  });
}

/** 40 sessions of `lessonId`, rewards 1, 0, 1, 0, ...: after 2k rewards the mean is exactly 0.5. */
function alternating(lessonId: string, sessions = 40): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  for (let i = 0; i < sessions; i++) events.push(sampled(`${lessonId}-s${i}`, [lessonId]), rewarded(`${lessonId}-s${i}`, i % 2 === 0 ? 1 : 0));
  return events;
}

describe('flag for mutation (rule flag-stalled-middle-band)', () => {
  it('flags a mean in the band with enough rewards and a narrow interval; not otherwise', () => {
    const verdicts = decidePolicy(view(), summary(0.5, 20, 0.35, 0.65), rules);
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]).toMatchObject({ kind: 'flag-mutation', rule: 'flag-stalled-middle-band', flag: 'stalled-middle-band' });
    expect(verdicts[0]!.numbers).toMatchObject({ mean: 0.5, n: 20, intervalWidth: 0.65 - 0.35, flagMaxIntervalWidth: 0.5 });
    expect(decidePolicy(view(), summary(0.5, 19, 0.35, 0.65), rules)).toEqual([]);
    expect(decidePolicy(view(), summary(0.65, 40, 0.55, 0.75), rules)).toEqual([]);
    expect(decidePolicy(view(), summary(0.5, 20, 0.2, 0.8), rules)).toEqual([]);
    expect(decidePolicy(view({ mutationFlags: ['stalled-middle-band'] }), summary(0.5, 20, 0.35, 0.65), rules)).toEqual([]);
  });

  it('never flags an exempt lesson, an archived or deprecated one', () => {
    for (const over of [{ category: 'safety' }, { hasConfoundNote: true }, { flaggedExempt: true }, { status: 'archived' as const }, { status: 'deprecated' as const }]) {
      expect(decidePolicy(view(over), summary(0.5, 20, 0.35, 0.65), rules)).toEqual([]);
    }
  });

  it('archiving wins over flagging: a mean below archiveBelowMean inside the flag band archives', () => {
    const overlapping = banditRules({ flagMinRewards: 20, flagMeanLow: 0.3, flagMaxIntervalWidth: 0.5, archiveMinRewards: 20, archiveBelowMean: 0.4 });
    expect(decidePolicy(view(), summary(0.35, 20, 0.2, 0.5), overlapping).map((v) => v.kind)).toEqual(['archive']);
  });

  it('given 40 alternating rewards: one flag, on the 20th reward, under an id that does not depend on the trigger', () => {
    const history = [created('l'), ...alternating('l')];
    const decisions = foldPolicy(history, rules).outbox;
    expect(decisions).toHaveLength(1);
    const twentiethReward = history.filter((e) => e.type === 'SessionRewardObserved')[19]!;
    expect(decisions[0]).toMatchObject({ kind: 'flag-mutation', lessonId: 'l', triggeringEventId: twentiethReward.eventId, eventId: mutationFlagEventId(rules, 'l', 'stalled-middle-band') });
    const command = decisions[0]!.command;
    expect(command.kind === 'flag-mutation' && command.data).toMatchObject({ decidedBy: 'policy', ruleSetId: 'flags', ruleSetVersion: 1, reason: 'stalled-middle-band' });
    // Beta(1 + 10, 1 + 10) after 20 rewards.
    expect(command.evidence!.numbers).toMatchObject({ alpha: 11, beta: 11, mean: 0.5, n: 20 });
    expect(command.evidence!.eventIds).toHaveLength(40);
    // The default rules (>= 30 rewards, interval <= 0.15) do not flag it: Beta(21, 21) is about 0.25 wide.
    expect(foldPolicy(history, banditRules()).outbox).toEqual([]);
  });

  it('once the flag is in the log the outbox settles, and a replay that meets it never flags the lesson again', () => {
    const history = [created('l'), ...alternating('l', 30)];
    const [decision] = foldPolicy(history, rules).outbox;
    if (decision?.command.kind !== 'flag-mutation') throw new Error('expected a flag');
    const flagEvent = recorded('LessonFlaggedForMutation', decision.command.data, undefined, decision.eventId);
    const withFlag = [...history.slice(0, 41), flagEvent, ...history.slice(41)];
    const state = foldPolicy(withFlag, rules);
    expect(state.outbox).toEqual([]);
    expect(state.lessons.l!.mutationFlags).toEqual(['stalled-middle-band']);
  });

  it('the audit shows the flag with its rule and evidence; the counterfactual says when a rule set would flag', () => {
    const definition = recorded('RuleSetDefined', { ruleSetId: 'flags', name: 'flags', parameters: FLAG_PARAMETERS });
    const history = [created('l'), ...alternating('l', 24)];
    const [decision] = foldPolicy(history, rules).outbox;
    if (decision?.command.kind !== 'flag-mutation') throw new Error('expected a flag');
    const flagEvent = recorded('LessonFlaggedForMutation', decision.command.data, undefined, decision.eventId);
    const events = [definition, ...history, flagEvent];
    const audit = auditLesson(events, 'l');
    expect(audit.statusChanges).toEqual([]);
    expect(audit.mutationFlags).toHaveLength(1);
    const flag = audit.mutationFlags[0]!;
    expect(flag.decision).toMatchObject({ eventId: decision.eventId, reason: 'stalled-middle-band' });
    expect(flag.rule).toMatchObject({ name: 'flag-stalled-middle-band', ruleSetId: 'flags', ruleSetVersion: 1, definedBy: { eventId: definition.eventId } });
    expect(flag.rule.parameters).toMatchObject(FLAG_PARAMETERS);
    expect(flag.evidence.events.every((e) => e.found)).toBe(true);
    expect(flag.trajectory).toHaveLength(24);
    const cf = counterfactualArchive(events, 'l', rules);
    expect(cf.wouldArchive).toBe(false);
    expect(cf.wouldFlagForMutation).toMatchObject({ reason: 'stalled-middle-band', triggeringEventId: decision.triggeringEventId });
    expect(cf.actuallyFlagged).toEqual([{ eventId: decision.eventId, globalPosition: flagEvent.globalPosition.toString(), reason: 'stalled-middle-band', ruleSetId: 'flags' }]);
    expect(counterfactualArchive(events, 'l', banditRules()).wouldFlagForMutation).toBeNull();
  });

  it('an exempt lesson (category safety) is never flagged by the fold', () => {
    expect(foldPolicy([created('s', 'safety'), ...alternating('s')], rules).outbox).toEqual([]);
  });
});

/** The flag event the dispatcher would append for `decision`. */
function flagEventOf(decision: PolicyDecision | undefined): RecordedEvent {
  if (decision?.command.kind !== 'flag-mutation') throw new Error('expected a flag');
  return recorded('LessonFlaggedForMutation', decision.command.data, undefined, decision.eventId);
}

const withActor = (event: RecordedEvent, actor: string): RecordedEvent => ({ ...event, metadata: { ...event.metadata, actor } });

describe('flag for mutation under two versions of one rule set (decided once per rule set id and version)', () => {
  // v1 flags after 20 alternating rewards, v2 after 30: Beta(1 + 15, 1 + 15), mean 0.5, on the 30th reward.
  const v1 = rules;
  const v2 = banditRules({ ruleSetId: 'flags', ruleSetVersion: 2, ...FLAG_PARAMETERS, flagMinRewards: 30 });
  const history = [created('l'), ...alternating('l', 40)];
  const rewards = history.filter((e) => e.type === 'SessionRewardObserved');
  const v1Flag = flagEventOf(foldPolicy(history, v1).outbox[0]);
  // history[40] is the 20th reward (v1's trigger), history[60] the 30th (v2's).
  const v1FlagBeforeV2Trigger = [...history.slice(0, 41), v1Flag, ...history.slice(41)];
  const v1FlagAfterV2Trigger = [...history, v1Flag];

  it('the two versions flag under different ids', () => {
    expect(v1Flag.eventId).toBe(mutationFlagEventId(v1, 'l', 'stalled-middle-band'));
    expect(mutationFlagEventId(v2, 'l', 'stalled-middle-band')).not.toBe(v1Flag.eventId);
  });

  it.each([
    ['before', v1FlagBeforeV2Trigger],
    ['after', v1FlagAfterV2Trigger],
  ])("v1's flag %s v2's trigger: v2 flags once, on the 30th reward", (_order, log) => {
    const { outbox } = foldPolicy(log, v2);
    expect(outbox).toHaveLength(1);
    const decision = outbox[0]!;
    expect(decision).toMatchObject({
      kind: 'flag-mutation',
      lessonId: 'l',
      triggeringEventId: rewards[29]!.eventId,
      eventId: mutationFlagEventId(v2, 'l', 'stalled-middle-band'),
    });
    expect(decision.command.kind === 'flag-mutation' && decision.command.data).toMatchObject({ ruleSetId: 'flags', ruleSetVersion: 2, reason: 'stalled-middle-band' });
    expect(decision.command.evidence!.numbers).toMatchObject({ alpha: 16, beta: 16, mean: 0.5, n: 30 });
  });

  it("v2's own flag in the log settles it and keeps it from flagging again; v2's flag does not stop v1", () => {
    const v2Flag = flagEventOf(foldPolicy(v1FlagBeforeV2Trigger, v2).outbox[0]);
    const replay = foldPolicy([...v1FlagBeforeV2Trigger.slice(0, 62), v2Flag, ...v1FlagBeforeV2Trigger.slice(62)], v2);
    expect(replay.outbox).toEqual([]);
    expect(replay.lessons.l!.mutationFlags).toEqual(['stalled-middle-band']);
    const v1Outbox = foldPolicy([history[0]!, v2Flag, ...history.slice(1)], v1).outbox;
    expect(v1Outbox.map((d) => [d.eventId, d.triggeringEventId])).toEqual([[v1Flag.eventId, rewards[19]!.eventId]]);
  });
});

describe("a flag's audit lists the lesson's edits before it", () => {
  it('creation and edits before the flag, with actor and reason; not the edit after it; the CLI text shows them', () => {
    const creation = withActor(created('l'), 'alice');
    const edit = withActor(recorded('LessonEdited', { lessonId: 'l', changes: { title: { from: 'l', to: 'L' } }, reason: 'clearer title' }, '2026-01-01T00:00:01Z'), 'bob');
    const history = [creation, edit, ...alternating('l', 24)];
    const flag = flagEventOf(foldPolicy(history, rules).outbox[0]);
    const later = withActor(recorded('LessonEdited', { lessonId: 'l', changes: { title: { from: 'L', to: 'L2' } }, reason: 'after' }), 'carol');
    const audit = auditLesson([...history, flag, later], 'l');
    expect(audit.mutationFlags).toHaveLength(1);
    expect(audit.mutationFlags[0]!.editsBefore).toEqual([
      { eventId: creation.eventId, globalPosition: creation.globalPosition.toString(), type: 'LessonCreated', occurredAt: '2026-01-01T00:00:00Z', actor: 'alice', reason: null },
      { eventId: edit.eventId, globalPosition: edit.globalPosition.toString(), type: 'LessonEdited', occurredAt: '2026-01-01T00:00:01Z', actor: 'bob', reason: 'clearer title' },
    ]);
    expect(renderAudit(audit)).toContain(`lesson edits before it: LessonCreated@${creation.globalPosition} by alice, LessonEdited@${edit.globalPosition} by bob\n`);
  });
});
