/** The holdout coin and the Monte Carlo inclusion probabilities of top-k Thompson selection. */
import { coinValue, flipHoldoutCoins } from '../../src/bandit/holdout/holdout-coin.js';
import { inclusionProbabilities, inclusionStandardError, topKByTheta } from '../../src/bandit/holdout/inclusion-probability.js';
import { banditRules } from '../../projections/bandit/bandit-rules.js';
import { emptyPosteriorState } from '../../projections/bandit/posterior.js';
import { seededBetaSampler } from '../../src/bandit/beta-sampler.js';
import { selectArms } from '../../src/bandit/select-arms.js';

describe('holdout coin', () => {
  it('withholds about the rate, replays from its seed, and does not depend on the other lessons', () => {
    const lessons = Array.from({ length: 4000 }, (_, i) => `l${i}`);
    const coins = flipHoldoutCoins(lessons, 0.1, 'seed-1');
    // Binomial(4000, 0.1): SD 19; 4 SD either side.
    expect(Math.abs(coins.withheld.length - 400)).toBeLessThan(76);
    expect(coins.injected.length + coins.withheld.length).toBe(4000);
    expect(flipHoldoutCoins(lessons, 0.1, 'seed-1')).toEqual(coins);
    const alone = flipHoldoutCoins([coins.withheld[0]!], 0.1, 'seed-1');
    expect(alone.withheld).toEqual([coins.withheld[0]]);
    expect(coinValue('seed-1', 'l1')).not.toBe(coinValue('seed-2', 'l1'));
  });

  it('flips nothing and records no seed at rate 0', () => {
    expect(flipHoldoutCoins(['a', 'b'], 0)).toEqual({ injected: ['a', 'b'], withheld: [], coinSeed: null });
  });

  it('draws a seed when none is given (the server draws it, never the client)', () => {
    const a = flipHoldoutCoins(['a'], 0.5);
    const b = flipHoldoutCoins(['a'], 0.5);
    expect(a.coinSeed).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.coinSeed).not.toBe(b.coinSeed);
  });
});

describe('inclusion probability by Monte Carlo', () => {
  // Beta(2, 1) against Beta(1, 1), top 1: P(theta1 > theta2) = integral of 2x * x over [0, 1] = 2/3.
  it('matches a closed form within 4 Monte Carlo standard errors', () => {
    const draws = 4000;
    const [p1, p2] = inclusionProbabilities(
      [{ lessonId: 'a', alpha: 2, beta: 1 }, { lessonId: 'b', alpha: 1, beta: 1 }],
      { topK: 1, thetaFloor: 0 },
      draws,
      'mc-seed',
    );
    expect(Math.abs(p1! - 2 / 3)).toBeLessThan(4 * inclusionStandardError(2 / 3, draws));
    expect(p1! + p2!).toBeCloseTo(1, 12);
    expect(inclusionStandardError(0.5, 2000)).toBeCloseTo(0.01118, 5);
  });

  it('is 1 for every candidate when they all fit under k, and sums to k otherwise', () => {
    const candidates = ['a', 'b', 'c', 'd', 'e'].map((lessonId, i) => ({ lessonId, alpha: 1 + i, beta: 2 }));
    expect(inclusionProbabilities(candidates.slice(0, 3), { topK: 3, thetaFloor: 0 }, 100, 's')).toEqual([1, 1, 1]);
    const pis = inclusionProbabilities(candidates, { topK: 3, thetaFloor: 0 }, 500, 's');
    expect(pis.reduce((s, p) => s + p, 0)).toBeCloseTo(3, 12);
    expect(pis[4]!).toBeGreaterThan(pis[0]!);
  });

  it('ranks as the selection does', () => {
    const rules = banditRules({ topK: 2 });
    const ids = ['x', 'y', 'z', 'w'];
    for (const seed of ['1', '2', '3', '4', '5']) {
      const selection = selectArms(ids, {}, emptyPosteriorState(), rules, seededBetaSampler(seed));
      const ranked = topKByTheta(ids, selection.candidates.map((c) => c.theta), rules).map((i) => ids[i]);
      expect(ranked).toEqual(selection.selected);
    }
  });
});
