/**
 * The lifecycle policy deciding on effect (`policyDecidesOn`), given events / then decisions: the randomized
 * holdout's estimate archives a lesson that lowers the pass rate and promotes a draft that raises it; stratified
 * LOO also counts cap-withheld outcomes; each decision carries its estimator, n, interval and the outcomes; a
 * repeated report of an outcome counts once; the audit shows it; the rule-set compare covers the choice.
 */
import type { RecordedEvent } from '../../contracts/envelope.js';
import { banditRules, type BanditRules } from '../../projections/bandit/bandit-rules.js';
import { auditLesson } from '../../src/lifecycle/audit/audit-lesson.js';
import { renderAudit } from '../../src/lifecycle/audit/render-audit.js';
import { foldPolicy, type PolicyDecision } from '../../src/lifecycle/policy/policy-state.js';
import { advanceLifecycleFold, compareLifecycle, newLifecycleFold } from '../../src/rule-set-analyses/lifecycle-compare.js';
import { recorded } from '../bandit/support/recorded.js';

const HOLDOUT = banditRules({ ruleSetId: 'on-holdout', policyDecidesOn: 'holdout-effect', policyEffectMinOutcomes: 40 });
const LOO = banditRules({ ruleSetId: 'on-loo', policyDecidesOn: 'stratified-loo', policyEffectMinOutcomes: 40 });
const REWARD = banditRules({ ruleSetId: 'on-reward', policyEffectMinOutcomes: 40 });

function created(lessonId: string, status: 'draft' | 'active'): RecordedEvent {
  return recorded('LessonCreated', {
    lessonId, title: lessonId, category: 'workflow', status,
    body: `# ${lessonId}\n\n## Detection\n- \`${lessonId} failed\`\n`,
    match: { keywords: ['k'], patterns: [], tools: [], sessionCategories: [] },
  });
}

let outcomes = 0;
/** One outcome's exposure naming `lessonId`: injected after the coin, withheld by the coin or by the cap. */
function exposure(lessonId: string, arm: 'coin-in' | 'coin-out' | 'cap', passed: boolean, streamRevision = 0n): RecordedEvent {
  outcomes += 1;
  const outcome = { eventId: `00000000-0000-4000-8000-${String(outcomes).padStart(12, '0')}`, globalPosition: String(outcomes), runId: 'r', test: `t${outcomes}`, model: 'm', passed, suspectedInfraError: false };
  const entry = arm === 'coin-in' ? { lessonId, holdoutRate: 0.5 } : arm === 'coin-out' ? { lessonId, withheldBy: 'coin', holdoutRate: 0.5 } : { lessonId, withheldBy: 'cap' };
  const event = recorded('LessonExposureRecorded', { outcome, category: 'c', injected: arm === 'coin-in' ? [entry] : [], withheld: arm === 'coin-in' ? [] : [entry] });
  return { ...event, streamRevision };
}

/** 30 coin-injected and 30 coin-withheld outcomes: pass rates `injected` and `withheld` (in tenths). */
function coinArms(lessonId: string, injected: number, withheld: number): RecordedEvent[] {
  return Array.from({ length: 30 }, (_, i) => [exposure(lessonId, 'coin-in', i % 10 < injected), exposure(lessonId, 'coin-out', i % 10 < withheld)]).flat();
}

const decisionsOf = (events: RecordedEvent[], rules: BanditRules): PolicyDecision[] => foldPolicy(events, rules).outbox;

describe('the lifecycle policy deciding on effect', () => {
  const history = [created('hurts', 'active'), created('helps', 'draft'), ...coinArms('hurts', 2, 8), ...coinArms('helps', 8, 2)];

  it('archives a lesson whose randomized effect lies below 0 and promotes a draft above 0, citing the estimate', () => {
    const decisions = decisionsOf(history, HOLDOUT);
    expect(decisions.map((d) => [d.lessonId, d.kind, d.rule])).toEqual([
      ['hurts', 'archive', 'archive-negative-effect'],
      ['helps', 'promote', 'promote-positive-effect'],
      ['helps', 'expand-keywords', 'expand-keywords-from-detection'],
    ]);
    const archive = decisions[0]!.command.evidence!;
    expect(archive.estimator).toBe('holdout-effect');
    // Taken on the first exposure whose interval excludes 0, with at least 40 outcomes counted.
    expect(archive.numbers.n).toBeGreaterThanOrEqual(40);
    expect(archive.numbers.upper).toBeLessThan(0);
    expect(archive.numbers.effect).toBeLessThan(archive.numbers.upper!);
    expect(archive.numbers.treated! + archive.numbers.control!).toBe(archive.numbers.n);
    const cited = history.filter((e) => e.type === 'LessonExposureRecorded' && archive.eventIds.includes((e.data as { outcome: { eventId: string } }).outcome.eventId));
    expect(cited).toHaveLength(archive.numbers.n!);
    expect(cited.every((e) => JSON.stringify(e.data).includes('"hurts"'))).toBe(true);
    expect(archive.globalPositions).toHaveLength(archive.numbers.n!);
  });

  it('counts an outcome reported again by another source once, and takes nothing on rewards alone', () => {
    const repeated = history.map((e) => (e.type === 'LessonExposureRecorded' ? [e, { ...e, eventId: `${e.eventId}-again`, streamRevision: 1n }] : [e])).flat();
    const once = decisionsOf(history, HOLDOUT)[0]!.command.evidence!.numbers;
    expect(decisionsOf(repeated, HOLDOUT)[0]!.command.evidence!.numbers).toEqual(once);
    expect(decisionsOf(history, REWARD)).toEqual([]);
  });

  it('stratified LOO counts cap-withheld outcomes the randomized holdout leaves out', () => {
    const capped = [created('capped', 'active'), ...Array.from({ length: 30 }, (_, i) => [exposure('capped', 'coin-in', i % 10 < 2), exposure('capped', 'cap', i % 10 < 8)]).flat()];
    expect(decisionsOf(capped, HOLDOUT)).toEqual([]);
    const loo = decisionsOf(capped, LOO);
    expect(loo.map((d) => [d.lessonId, d.kind, d.command.evidence!.estimator])).toEqual([['capped', 'archive', 'stratified-loo']]);
  });

  it('the audit shows the estimator, n and interval of a decision on effect', () => {
    const decision = decisionsOf(history, HOLDOUT)[0]!;
    if (decision.command.kind !== 'change-status') throw new Error('expected a status change');
    const { evidence, reason, ruleSetId, ruleSetVersion } = decision.command;
    const changed = recorded('LessonStatusChanged', { lessonId: 'hurts', from: 'active', to: 'archived', reason, decidedBy: 'policy', ruleSetId, ruleSetVersion, evidence }, undefined, decision.eventId);
    const audit = auditLesson([...history, changed], 'hurts');
    expect(audit.statusChanges[0]!.evidence).toMatchObject({ estimator: 'holdout-effect', numbers: { n: evidence!.numbers.n } });
    const text = renderAudit(audit);
    expect(text).toContain('rule archive-negative-effect');
    expect(text).toMatch(/decided on effect: estimator holdout-effect, effect -0\.\d{4} interval \[-0\.\d{4}, -0\.\d{4}\] \(level 0\.9500\) n \d+/);
  });

  it('the rule-set compare shows what deciding on effect changes against deciding on rewards', () => {
    const fold = (rules: BanditRules) => advanceLifecycleFold(newLifecycleFold(), history, rules).outcomes;
    const differences = compareLifecycle(fold(REWARD), fold(HOLDOUT));
    expect(differences.map((d) => [d.lessonId, d.decision, d.underA, d.underB !== null])).toEqual([
      ['helps', 'promote', null, true],
      ['helps', 'expand-keywords', null, true],
      ['hurts', 'archive', null, true],
    ]);
  });
});
