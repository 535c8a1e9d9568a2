/**
 * The policy's third decision, given events / then decisions: a lesson whose posterior mean stays in the
 * middle band once the interval is narrow is flagged for mutation, once per (lesson, reason), never when
 * exempt; the counterfactual and the audit show the flag with its rule and evidence.
 */
import type { RecordedEvent } from '../../contracts/envelope.js';
import { banditRules } from '../../projections/bandit-rules.js';
import type { PosteriorSummary } from '../../projections/posterior.js';
import { auditLesson } from '../../src/lifecycle/audit/audit-lesson.js';
import { counterfactualArchive } from '../../src/lifecycle/audit/counterfactual.js';
import { decidePolicy, type PolicyLessonView } from '../../src/lifecycle/policy/decide-policy.js';
import { foldPolicy, mutationFlagEventId } from '../../src/lifecycle/policy/policy-state.js';
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
