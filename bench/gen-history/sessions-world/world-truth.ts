/**
 * The truth of the planted world, kept as the estimand each estimator targets (not one number for all):
 * - randomized holdout (Mantel-Haenszel): per stratum, the mean over the lesson's coin-eligible outcomes (the
 *   draw chose it, before the coin) of P(pass | injected) - P(pass | withheld), the other lessons as they were;
 *   combined with the estimator's own weights n1 n0 / N over the realised coin arms. Its design SE is the
 *   sampling SD of the MH estimate under the true pass probabilities and the realised arm sizes: it does not
 *   depend on the drawn outcomes, so "truth >= 1.65 SE" does not select lessons on their noise.
 * - IPW (self-normalised, from Thompson propensities): the policy contrast it estimates, the mean over the
 *   lesson's matched outcomes of E[pass | lesson injected] - E[pass | not injected] under the selection (thetas
 *   redrawn from the same posteriors, each drawn lesson's coin flipped), so a lesson displacing another under the
 *   top-k cap counts as it does in the data.
 */
import betaCdf from '@stdlib/stats-base-dists-beta-cdf';
import type { ArmCandidate } from '../../../contracts/bandit.js';
import { seededBetaSampler } from '../../../src/bandit/beta-sampler.js';
import { topKByTheta, type RankRules } from '../../../src/bandit/holdout/inclusion-probability.js';
import type { Random } from '../random.js';
import { clipProbability } from './world-config.js';

export interface StratumTruth {
  /** Coin-eligible outcomes, and the sums of P(pass) over them with the lesson injected and withheld. */
  eligible: number;
  sumInjected: number;
  sumWithheld: number;
  /** The realised coin arms (the MH weights). */
  coinInjected: number;
  coinWithheld: number;
}

export interface LessonTruthSums {
  strata: Record<string, StratumTruth>;
  exposures: number;
  ipwDiff: number;
  ipwOutcomes: number;
}

export const emptyTruthSums = (): LessonTruthSums => ({ strata: {}, exposures: 0, ipwDiff: 0, ipwOutcomes: 0 });

export function addCoinEligible(sums: LessonTruthSums, stratum: string, pInjected: number, pWithheld: number, coinWithheld: boolean): void {
  const s = (sums.strata[stratum] ??= { eligible: 0, sumInjected: 0, sumWithheld: 0, coinInjected: 0, coinWithheld: 0 });
  s.eligible += 1;
  s.sumInjected += pInjected;
  s.sumWithheld += pWithheld;
  if (coinWithheld) s.coinWithheld += 1;
  else s.coinInjected += 1;
}

/** The MH-weighted true risk difference over the realised strata, and the estimate's design SE. */
export function mantelHaenszelTruth(strata: Record<string, StratumTruth>): { rd: number; se: number } | null {
  let weights = 0;
  let weighted = 0;
  const terms: { w: number; variance: number }[] = [];
  for (const s of Object.values(strata)) {
    const [n1, n0] = [s.coinInjected, s.coinWithheld];
    if (n1 === 0 || n0 === 0) continue;
    const w = (n1 * n0) / (n1 + n0);
    const [p1, p0] = [s.sumInjected / s.eligible, s.sumWithheld / s.eligible];
    weights += w;
    weighted += w * (p1 - p0);
    terms.push({ w, variance: (p1 * (1 - p1)) / n1 + (p0 * (1 - p0)) / n0 });
  }
  if (weights === 0) return null;
  const variance = terms.reduce((sum, t) => sum + (t.w / weights) ** 2 * t.variance, 0);
  return { rd: weighted / weights, se: Math.sqrt(variance) };
}

/**
 * One session's IPW truth for each candidate L: E[P(pass) | L injected] - E[P(pass) | L not injected] under the
 * selection (thetas from the same posteriors, the top k, each drawn lesson's coin). Rao-Blackwellised over L's own
 * theta and coin: in each redraw of the others' thetas and coins, L is in the top k with probability
 * q = P(theta_L ranks above the k-th other) = 1 - BetaCDF(t_k; alpha_L, beta_L), and then
 *   injected (q (1 - h)):  L and the top k - 1 others (their coins as drawn)
 *   withheld by its coin (q h): the top k - 1 others only (the slot is not refilled)
 *   not drawn (1 - q):     the top k others.
 * So a lesson the draws seldom pick still gets its contrast from every redraw, displacement included (counting
 * only redraws that happened to pick it left nothing to average for propensities of a few percent).
 */
export function policyContrasts(
  candidates: readonly Pick<ArmCandidate, 'lessonId' | 'alpha' | 'beta'>[],
  effectOf: ReadonlyMap<string, number>,
  base: number,
  rules: RankRules & { holdoutRate: number; draws: number },
  seed: string,
  random: Random,
): number[] {
  const draw = seededBetaSampler(seed);
  const h = rules.holdoutRate;
  const ids = candidates.map((c) => c.lessonId);
  const effects = ids.map((id) => effectOf.get(id)!);
  const sums = ids.map(() => ({ inW: 0, inY: 0, outW: 0, outY: 0, plainIn: 0, plainOut: 0 }));
  const thetas = ids.map(() => 0);
  const heads = ids.map(() => false);
  for (let r = 0; r < rules.draws; r += 1) {
    candidates.forEach((c, i) => (thetas[i] = draw(c.alpha, c.beta)));
    heads.forEach((_, i) => (heads[i] = !random.chance(h)));
    // The top k + 1 of all: the top k of the others of any L are in it.
    const ranked = topKByTheta(ids, thetas, { ...rules, topK: rules.topK + 1 });
    ids.forEach((_, i) => {
      const others = ranked.filter((j) => j !== i);
      const lift = (count: number) => others.slice(0, count).reduce((sum, j) => sum + (heads[j] ? effects[j]! : 0), 0);
      const kth = others[rules.topK - 1];
      const bar = Math.max(rules.thetaFloor, kth === undefined ? 0 : thetas[kth]!);
      const q = rules.thetaFloor <= 0 && kth === undefined ? 1 : 1 - betaCdf(bar, candidates[i]!.alpha, candidates[i]!.beta);
      const injected = clipProbability(base + effects[i]! + lift(rules.topK - 1));
      const withheld = clipProbability(base + lift(rules.topK - 1));
      const notDrawn = clipProbability(base + lift(rules.topK));
      const s = sums[i]!;
      s.inW += q * (1 - h);
      s.inY += q * (1 - h) * injected;
      s.outW += 1 - q + q * h;
      s.outY += (1 - q) * notDrawn + q * h * withheld;
      s.plainIn += injected;
      s.plainOut += notDrawn;
    });
  }
  // q underflows to 0 only for a lesson the draws cannot pick (propensity 0): its contrast with the others as drawn.
  return sums.map((s) => (s.inW > 0 && s.outW > 0 ? s.inY / s.inW - s.outY / s.outW : (s.plainIn - s.plainOut) / rules.draws));
}
