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
 * One session's IPW truth for each candidate: over `draws` redraws of the thetas and coins, the mean P(pass)
 * with the candidate injected minus without it. A candidate never injected in the redraws (propensity ~ 0)
 * gets its effect with the others as drawn.
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
  const ids = candidates.map((c) => c.lessonId);
  const inSum = ids.map(() => 0);
  const inN = ids.map(() => 0);
  const outSum = ids.map(() => 0);
  const outN = ids.map(() => 0);
  const fallback = ids.map(() => 0);
  const thetas = ids.map(() => 0);
  const injected = ids.map(() => false);
  for (let r = 0; r < rules.draws; r += 1) {
    candidates.forEach((c, i) => (thetas[i] = draw(c.alpha, c.beta)));
    injected.fill(false);
    for (const i of topKByTheta(ids, thetas, rules)) injected[i] = !random.chance(rules.holdoutRate);
    const lift = ids.reduce((sum, id, i) => sum + (injected[i] ? effectOf.get(id)! : 0), 0);
    const p = clipProbability(base + lift);
    ids.forEach((id, i) => {
      if (injected[i]) (inSum[i]! += p), (inN[i]! += 1);
      else (outSum[i]! += p), (outN[i]! += 1);
      fallback[i]! += clipProbability(base + lift - (injected[i] ? effectOf.get(id)! : 0) + effectOf.get(id)!) - clipProbability(base + lift - (injected[i] ? effectOf.get(id)! : 0));
    });
  }
  return ids.map((_, i) => (inN[i]! > 0 && outN[i]! > 0 ? inSum[i]! / inN[i]! - outSum[i]! / outN[i]! : fallback[i]! / rules.draws));
}
