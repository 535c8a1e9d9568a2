import type { RewardOutcome } from '../../contracts/bandit.js';
import { rewardFromOutcomes } from '../../src/bandit/outcome-rewards/reward-from-outcomes.js';

const outcome = (eventId: string, passed: boolean, suspectedInfraError = false): RewardOutcome => ({
  eventId,
  globalPosition: '1',
  runId: 'r',
  test: `t-${eventId}`,
  model: 'm',
  passed,
  suspectedInfraError,
});

describe('a reward defined by eval outcomes', () => {
  it('is the fraction passed among the outcomes that are not suspected infra errors', () => {
    const result = rewardFromOutcomes([outcome('a', true), outcome('b', false), outcome('c', false, true), outcome('d', true)]);
    expect(result).toMatchObject({ ok: true, reward: 2 / 3, fromOutcomes: { counted: 3, passed: 2, infraErrorsExcluded: 1 } });
  });

  it('counts an outcome referenced twice once', () => {
    const result = rewardFromOutcomes([outcome('a', true), outcome('a', true), outcome('b', false)]);
    expect(result).toMatchObject({ ok: true, reward: 0.5, fromOutcomes: { counted: 2 } });
    expect(result.ok && result.fromOutcomes.outcomes.map((o) => o.eventId)).toEqual(['a', 'b']);
  });

  it('defines no reward when every outcome is a suspected infra error', () => {
    const result = rewardFromOutcomes([outcome('a', false, true), outcome('b', false, true)]);
    expect(result).toEqual({ ok: false, reason: 'all 2 referenced outcome(s) are suspected infrastructure errors: they define no reward' });
  });
});
