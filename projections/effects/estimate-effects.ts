/**
 * A lesson's effect estimates from its `lesson-effects` document, under the rules it was built with:
 * - `randomized-holdout`: injected after a coin vs withheld by the coin only; Mantel-Haenszel risk difference
 *   over strata (without propensity bands), Sato's variance, and Fisher's exact p (two-sided) on the pooled table, which is valid under the
 *   null because the coin's rate does not depend on the stratum;
 * - `stratified-loo` (observational): injected vs not injected for any reason, on residuals from each stratum's
 *   baseline, the strata cut by propensity band (effect-rules.ts); `pooled-loo` (observational, naive) beside it;
 * - `ipw` (observational unless every propensity is the coin's): self-normalised inverse propensity weighting
 *   over outcomes whose selection logged a propensity within [clip, 1 - clip], with the number left out (`clipped`).
 */
import cdf from '@stdlib/stats-base-dists-normal-cdf';
import { fisherTwoSided } from '../stats/fisher.js';
import { zForLevel } from '../stats/normal-quantile.js';
import { totals, type IntervalEstimate, type StratumTable } from './arm-counts.js';
import { withoutBand, type EffectRules } from './effect-rules.js';
import type { EffectArm, LessonEffectDoc, StratumArms } from './lesson-effects.js';
import { mantelHaenszelRiskDifference } from './mantel-haenszel.js';
import { pooledLeaveOneOut, stratifiedLeaveOneOut } from './stratified-loo.js';
import { selfNormalisedIpw, withinPropensityBounds } from './snipw.js';

export const EFFECT_METHODS = ['randomized-holdout', 'stratified-loo', 'pooled-loo', 'ipw'] as const;
export type EffectMethod = (typeof EFFECT_METHODS)[number];

export interface EffectEvidence {
  eventIds: string[];
  globalPositions: string[];
}

export interface EffectEstimate extends IntervalEstimate {
  method: EffectMethod;
  observational: boolean;
  /** Outcomes the estimate used, and of them the treated (injected) and control ones. */
  n: number;
  treated: { n: number; passes: number };
  control: { n: number; passes: number };
  strata: StratumTable[];
  /** Two-sided p of no effect: Fisher's exact p for the randomized holdout, else the normal (Wald) p; null untestable. */
  p: number | null;
  /**
   * The step-up q-value of `p` within the family of every lesson's estimate by this method under the rule set
   * (effect-family.ts); null when untestable, or before the family is known.
   */
  q: number | null;
  /** q <= the rule set's `effectFdrLevel` (null when q is). */
  discovery: boolean | null;
  /** Two-sided Fisher exact p on the pooled table (randomized holdout only). */
  fisherP?: number;
  /** Outcomes left out of the weighting, their propensity outside [clip, 1 - clip] (ipw only; trimmed, not clamped). */
  clipped?: number;
  /** The interval excludes 0 (and, for the randomized holdout, Fisher's p is below 1 - level). */
  significant: boolean;
  evidence: EffectEvidence;
}

const ARMS_OF: Record<EffectMethod, readonly EffectArm[]> = {
  'randomized-holdout': ['I', 'W'],
  'stratified-loo': ['I', 'W', 'i', 'w'],
  'pooled-loo': ['I', 'W', 'i', 'w'],
  ipw: ['I', 'W', 'i', 'w'],
};

/** The arms per stratum; `merge` maps a stored stratum key onto the one the method compares within. */
function tables(doc: LessonEffectDoc, pick: (arms: StratumArms) => [StratumTable['treated'], StratumTable['control']], merge = (key: string) => key): StratumTable[] {
  const merged = new Map<string, StratumTable>();
  for (const stored of Object.keys(doc.strata)) {
    const [treated, control] = pick(doc.strata[stored]!);
    const key = merge(stored);
    const t = merged.get(key) ?? { key, treated: { n: 0, passes: 0 }, control: { n: 0, passes: 0 } };
    t.treated.n += treated.n;
    t.treated.passes += treated.passes;
    t.control.n += control.n;
    t.control.passes += control.passes;
    merged.set(key, t);
  }
  return [...merged.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).filter((t) => t.treated.n + t.control.n > 0);
}

function evidenceOf(doc: LessonEffectDoc, method: EffectMethod, clip: number): EffectEvidence {
  const arms = ARMS_OF[method];
  const rows = Object.entries(doc.evidence)
    .filter(([, [, arm, propensity]]) => arms.includes(arm) && (method !== 'ipw' || (propensity !== null && withinPropensityBounds(propensity, clip))))
    .sort(([, [a]], [, [b]]) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
  return { eventIds: rows.map(([id]) => id), globalPositions: rows.map(([, [position]]) => position) };
}

/** Two-sided normal p of effect / se; null without an estimate or with a zero SE. */
export function waldP(e: IntervalEstimate): number | null {
  if (e.effect === null || e.se === null || !(e.se > 0)) return null;
  return Math.min(1, 2 * cdf(-Math.abs(e.effect) / e.se, 0, 1));
}

const NO_FAMILY = { q: null, discovery: null } as const;

function excludesZero(e: IntervalEstimate): boolean {
  return e.lower !== null && e.upper !== null && (e.lower > 0 || e.upper < 0);
}

/** `withoutEvidence`: the estimate from the counts alone (`doc.evidence` is not read; `evidence` comes back empty). */
export function estimateEffect(doc: LessonEffectDoc, method: EffectMethod, rules: EffectRules, withoutEvidence = false): EffectEstimate {
  const z = zForLevel(rules.effectConfidenceLevel);
  const evidence = withoutEvidence ? { eventIds: [], globalPositions: [] } : evidenceOf(doc, method, rules.effectPropensityClip);
  if (method === 'ipw') {
    const estimate = selfNormalisedIpw(doc.ipw, z);
    const treated = withoutEvidence
      ? doc.ipw.injected
      : evidence.eventIds.filter((id) => doc.evidence[id]![1] === 'I' || doc.evidence[id]![1] === 'i').length;
    const passesUnknown = { n: 0, passes: 0 };
    return {
      method, observational: true, ...estimate, n: doc.ipw.n,
      treated: { ...passesUnknown, n: treated }, control: { ...passesUnknown, n: doc.ipw.n - treated },
      strata: [], clipped: doc.ipw.clipped, significant: excludesZero(estimate), evidence, p: waldP(estimate), ...NO_FAMILY,
    };
  }
  const strata =
    method === 'randomized-holdout'
      ? tables(doc, (a) => [a.coinInjected, a.coinWithheld], withoutBand)
      : tables(doc, (a) => [a.injected, a.notInjected], method === 'stratified-loo' ? undefined : withoutBand);
  const { treated, control } = totals(strata);
  const base = { method, n: treated.n + control.n, treated, control, strata, evidence };
  if (method === 'randomized-holdout') {
    const estimate = mantelHaenszelRiskDifference(strata, z);
    const fisherP = fisherTwoSided(control.passes, control.n - control.passes, treated.passes, treated.n - treated.passes);
    const significant = excludesZero(estimate) && fisherP < 1 - rules.effectConfidenceLevel;
    const p = estimate.effect === null ? null : fisherP;
    return { ...base, observational: false, ...estimate, fisherP, significant, p, ...NO_FAMILY };
  }
  const estimate = method === 'stratified-loo' ? stratifiedLeaveOneOut(strata, z) : pooledLeaveOneOut(strata, z);
  return { ...base, observational: true, ...estimate, significant: excludesZero(estimate), p: waldP(estimate), ...NO_FAMILY };
}

export function estimateEffects(doc: LessonEffectDoc, rules: EffectRules, withoutEvidence = false): Record<EffectMethod, EffectEstimate> {
  return Object.fromEntries(EFFECT_METHODS.map((m) => [m, estimateEffect(doc, m, rules, withoutEvidence)])) as Record<EffectMethod, EffectEstimate>;
}
