/**
 * The effect estimate of one experiment from its before/after counts on affected and control tests: pass
 * rates, the difference-in-differences, Fisher exact p on the affected before/after table and
 * P(after > before). Pure.
 */
import { probabilityAfterGreater } from '../stats/beta-superiority.js';
import { fisherOneSidedGreater, fisherOneSidedLess } from '../stats/fisher.js';

export interface Counts {
  passed: number;
  failed: number;
}

export interface EffectEstimate {
  affectedBefore: Counts;
  affectedAfter: Counts;
  controlBefore: Counts;
  controlAfter: Counts;
  affectedRateBefore: number | null;
  affectedRateAfter: number | null;
  controlRateBefore: number | null;
  controlRateAfter: number | null;
  /** Affected change minus control change; null without control data. */
  differenceInDifferences: number | null;
  /** The estimate whose sign is the effect: the difference-in-differences, else the affected difference. */
  effect: number | null;
  /** Two-sided Fisher exact p on the affected before/after table (twice the smaller one-sided p, at most 1). */
  fisherP: number;
  /** fisherP < alpha, or under false-discovery control q <= the level (verdict-false-discovery.ts). */
  significant: boolean;
  probabilityAfterGreater: number;
  /** The q value within the estimate's family of verdicts (set by correctVerdicts). */
  q?: number;
  /** Smallest |change| of the affected pass rate detectable with this data (set by correctVerdicts); null: none. */
  minimumDetectableEffect?: number | null;
}

/** Outcomes in the before and after windows, on the tests a lesson affects and on the others (control). */
export interface Tally {
  affectedBefore: Counts;
  affectedAfter: Counts;
  controlBefore: Counts;
  controlAfter: Counts;
}

export function emptyTally(): Tally {
  const zero = () => ({ passed: 0, failed: 0 });
  return { affectedBefore: zero(), affectedAfter: zero(), controlBefore: zero(), controlAfter: zero() };
}

export function addTally(into: Tally, t: Tally): void {
  for (const side of ['affectedBefore', 'affectedAfter', 'controlBefore', 'controlAfter'] as const) {
    into[side].passed += t[side].passed;
    into[side].failed += t[side].failed;
  }
}

function rate(c: Counts): number | null {
  const n = c.passed + c.failed;
  return n === 0 ? null : c.passed / n;
}

export function estimate(t: Tally, alpha: number): EffectEstimate {
  const ab = rate(t.affectedBefore);
  const aa = rate(t.affectedAfter);
  const cb = rate(t.controlBefore);
  const ca = rate(t.controlAfter);
  const affectedDiff = ab !== null && aa !== null ? aa - ab : null;
  const did = affectedDiff !== null && cb !== null && ca !== null ? affectedDiff - (ca - cb) : null;
  const { passed: a, failed: b } = t.affectedBefore;
  const { passed: c, failed: d } = t.affectedAfter;
  const fisherP = Math.min(1, 2 * Math.min(fisherOneSidedGreater(a, b, c, d), fisherOneSidedLess(a, b, c, d)));
  return {
    ...t,
    affectedRateBefore: ab,
    affectedRateAfter: aa,
    controlRateBefore: cb,
    controlRateAfter: ca,
    differenceInDifferences: did,
    effect: did ?? affectedDiff,
    fisherP,
    significant: fisherP < alpha,
    probabilityAfterGreater: probabilityAfterGreater(t.affectedBefore, t.affectedAfter),
  };
}
