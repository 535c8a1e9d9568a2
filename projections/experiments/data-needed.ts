/**
 * How much more data a short-of-data experiment needs: the outcomes per window (before and after) that detect
 * a `targetEffect` change of the affected pass rate with power `verdictPower` at the two-sided
 * `significanceLevel` (detectable-drop.ts, at the pass rate 0.5, where the variance is largest: an upper
 * bound whatever the rate turns out to be), the outcomes each window still lacks, and the runs that would
 * bring them: a run gives one outcome per affected test per model. Pure.
 */
import { dropPower } from '../stats/detectable-drop.js';
import type { ExperimentRules } from './experiment-rules.js';

export interface DataNeeded {
  /** Clean outcomes on affected tests each window needs to detect `targetEffect`. */
  outcomesPerWindow: number;
  /** Outcomes each window still lacks (also at least the minimum clean outcomes). */
  moreBefore: number;
  moreAfter: number;
  /** Runs of every model counted that would bring them; null when the lesson affects no test (no run helps). */
  runsBefore: number | null;
  runsAfter: number | null;
}

const cache = new Map<string, number>();

/** Smallest n per window with power >= verdictPower against a targetEffect drop from 0.5. */
export function outcomesPerWindow(rules: Pick<ExperimentRules, 'targetEffect' | 'verdictPower' | 'significanceLevel'>): number {
  const key = `${rules.targetEffect}|${rules.verdictPower}|${rules.significanceLevel}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  const powerAt = (n: number) => dropPower([{ baselineAttempts: n, baselinePasses: n / 2, recentAttempts: n, recentPasses: 0 }], rules.targetEffect, rules.significanceLevel / 2);
  let high = 2;
  while (powerAt(high) < rules.verdictPower && high < 1e7) high *= 2;
  let low = high / 2;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (powerAt(mid) >= rules.verdictPower) high = mid;
    else low = mid;
  }
  cache.set(key, high);
  return high;
}

export function dataNeeded(
  counts: { affectedBefore: number; affectedAfter: number; minBefore: number; minAfter: number },
  outcomesPerRun: number,
  rules: Pick<ExperimentRules, 'targetEffect' | 'verdictPower' | 'significanceLevel'>,
): DataNeeded {
  const n = outcomesPerWindow(rules);
  const moreBefore = Math.max(0, n - counts.affectedBefore, counts.minBefore - counts.affectedBefore);
  const moreAfter = Math.max(0, n - counts.affectedAfter, counts.minAfter - counts.affectedAfter);
  const runs = (more: number) => (outcomesPerRun > 0 ? Math.ceil(more / outcomesPerRun) : null);
  return { outcomesPerWindow: n, moreBefore, moreAfter, runsBefore: runs(moreBefore), runsAfter: runs(moreAfter) };
}
