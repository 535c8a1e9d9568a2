import { banditRules } from '../../projections/bandit/bandit-rules.js';
import { applyPosteriorEvent, armForSelection, emptyPosteriorState, foldPosteriors, summarizeArm } from '../../projections/bandit/posterior.js';
import { rewarded, sampled } from './support/recorded.js';

describe('posterior fold', () => {
  it('alpha += r, beta += 1 - r for every selected lesson; mean and 90% interval', () => {
    const rules = banditRules();
    const state = foldPosteriors([sampled('s1', ['a', 'b']), rewarded('s1', 1), sampled('s2', ['a']), rewarded('s2', 0.25)], rules);
    const a = summarizeArm(state, 'a', rules);
    expect([a.alpha, a.beta, a.n]).toEqual([1 + 1.25, 1 + 0.75, 2]);
    expect(a.mean).toBeCloseTo(2.25 / 4, 12);
    expect(a.lower).toBeLessThan(a.mean);
    expect(a.upper).toBeGreaterThan(a.mean);
    expect(summarizeArm(state, 'b', rules)).toMatchObject({ alpha: 2, beta: 1, n: 1 });
  });

  it('a reward without an open selection, or a second reward, moves nothing', () => {
    const rules = banditRules();
    const state = emptyPosteriorState();
    expect(applyPosteriorEvent(state, rewarded('nobody', 1), rules)).toEqual([]);
    applyPosteriorEvent(state, sampled('s', ['a']), rules);
    expect(applyPosteriorEvent(state, rewarded('s', 1), rules)).toHaveLength(1);
    expect(applyPosteriorEvent(state, rewarded('s', 1), rules)).toEqual([]);
    expect(summarizeArm(state, 'a', rules).n).toBe(1);
  });

  it('salience weighting shares the reward by salience (only when the rule is on)', () => {
    const on = banditRules({ salienceWeighting: true });
    const events = [sampled('s', ['a', 'b']), rewarded('s', 1, { a: 0.5 })];
    const weighted = foldPosteriors(events, on);
    expect(summarizeArm(weighted, 'a', on)).toMatchObject({ alpha: 1.5, beta: 1 });
    expect(summarizeArm(weighted, 'b', on)).toMatchObject({ alpha: 1, beta: 1, n: 0 });
    const off = banditRules();
    expect(summarizeArm(foldPosteriors(events, off), 'b', off)).toMatchObject({ alpha: 2, beta: 1 });
  });

  it('discounted TS: gamma shrinks old evidence at every reward, lazily', () => {
    const rules = banditRules({ gamma: 0.5 });
    const state = foldPosteriors([sampled('s1', ['a']), rewarded('s1', 1), sampled('s2', ['b']), rewarded('s2', 1)], rules);
    // a got 1 success at step 1; one more reward happened since: 1 * 0.5.
    expect(summarizeArm(state, 'a', rules).alpha).toBe(1.5);
    expect(summarizeArm(state, 'b', rules).alpha).toBe(2);
  });

  it('contextual arms are used once they have minContextCount rewards, else the global arm', () => {
    const rules = banditRules({ minContextCount: 2 });
    const ctx = { model: 'm1', category: 'tools' };
    const state = foldPosteriors([sampled('s1', ['a'], ctx), rewarded('s1', 1)], rules);
    expect(armForSelection(state, 'a', ctx, rules)).toBe('a');
    foldPosteriors([sampled('s2', ['a'], { category: 'tools' }), rewarded('s2', 0)], rules, state);
    expect(armForSelection(state, 'a', ctx, rules)).toBe('a|category=tools');
    expect(summarizeArm(state, 'a|model=m1', rules).n).toBe(1);
    foldPosteriors([sampled('s3', ['a'], ctx), rewarded('s3', 1)], rules, state);
    expect(armForSelection(state, 'a', ctx, rules)).toBe('a|model=m1');
    expect(armForSelection(state, 'a', { model: 'other' }, rules)).toBe('a');
  });
});
