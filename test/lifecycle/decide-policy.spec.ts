import { banditRules } from '../../projections/bandit/bandit-rules.js';
import { decidePolicy, detectionKeywords, type PolicyLessonView } from '../../src/lifecycle/policy/decide-policy.js';
import { foldPolicy } from '../../src/lifecycle/policy/policy-state.js';
import type { PosteriorSummary } from '../../projections/bandit/posterior.js';
import { recorded, rewarded, sampled } from '../bandit/support/recorded.js';

const rules = banditRules({ archiveMinRewards: 10, archiveBelowMean: 0.4, promoteMinRewards: 10, promoteAboveLower: 0.6 });
const lesson = (over: Partial<PolicyLessonView> = {}): PolicyLessonView => ({
  status: 'active',
  category: 'workflow',
  hasConfoundNote: false,
  flaggedExempt: false,
  keywords: ['deploy'],
  detectionKeywords: ['deploy failed'],
  ...over,
});
const posterior = (mean: number, n: number, lower = mean - 0.1): PosteriorSummary => ({ armKey: 'x', alpha: 1, beta: 1, mean, lower, upper: mean + 0.1, n });

describe('lifecycle policy rules', () => {
  it('archives below the mean threshold only with enough rewards', () => {
    expect(decidePolicy(lesson(), posterior(0.3, 9), rules)).toEqual([]);
    expect(decidePolicy(lesson(), posterior(0.3, 10), rules).map((v) => [v.kind, v.rule])).toEqual([['archive', 'archive-low-mean']]);
    expect(decidePolicy(lesson(), posterior(0.45, 50), rules)).toEqual([]);
    expect(decidePolicy(lesson({ status: 'archived' }), posterior(0.1, 50), rules)).toEqual([]);
  });

  it('never archives exempt lessons: category, confound note, frontmatter flag', () => {
    expect(decidePolicy(lesson({ category: 'safety' }), posterior(0.1, 50), rules)).toEqual([]);
    expect(decidePolicy(lesson({ hasConfoundNote: true }), posterior(0.1, 50), rules)).toEqual([]);
    expect(decidePolicy(lesson({ flaggedExempt: true }), posterior(0.1, 50), rules)).toEqual([]);
  });

  it('promotes a draft and proposes the Detection keywords when the lower bound clears the threshold', () => {
    const verdicts = decidePolicy(lesson({ status: 'draft' }), posterior(0.8, 10, 0.65), rules);
    expect(verdicts.map((v) => v.kind)).toEqual(['promote', 'expand-keywords']);
    expect(verdicts[1]).toMatchObject({ keywords: ['deploy failed'] });
    expect(decidePolicy(lesson({ keywords: ['deploy', 'deploy failed'] }), posterior(0.8, 10, 0.65), rules)).toEqual([]);
    expect(decidePolicy(lesson({ status: 'draft' }), posterior(0.8, 10, 0.55), rules)).toEqual([]);
  });

  it('reads keywords from Detection bullets: code spans, else short bullet text', () => {
    expect(detectionKeywords('- `git push --force` on main\n- Tests skipped.\n* ' + 'x'.repeat(70) + '\nnot a bullet')).toEqual(['git push --force', 'tests skipped']);
    expect(detectionKeywords(undefined)).toEqual([]);
  });

  it('a confound note added by an edit exempts the lesson from then on (folded from the lesson events)', () => {
    const created = recorded('LessonCreated', {
      lessonId: 'l', title: 'L', category: 'workflow', body: '# L', status: 'active',
      match: { keywords: ['k'], patterns: [], tools: [], sessionCategories: [] },
    });
    const edited = recorded('LessonEdited', { lessonId: 'l', changes: { confoundNote: { from: null, to: 'model-specific' } } });
    const history = [created, edited];
    for (let i = 0; i < 12; i++) history.push(sampled(`s${i}`, ['l']), rewarded(`s${i}`, 0));
    expect(foldPolicy(history, rules).outbox).toEqual([]);
    expect(foldPolicy(history.filter((e) => e !== edited), rules).outbox.map((d) => d.kind)).toEqual(['archive']);
  });
});
