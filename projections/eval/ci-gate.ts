/**
 * The CI gate: did one run (the candidate) break anything beyond what chance explains? Each (model, tool format,
 * test) series of the run compares the candidate's attempts with its baseline runs (the runs before it, as the
 * `trends` projection keeps them) by the statistical trends' own classifier (classifyStatSeries with the
 * candidate as the only recent run: one-sided Fisher exact p of a drop), and each model of the run pools its
 * series in the stratified Mantel–Haenszel drop test (stratified-drop.ts). The family is the run: its series and
 * its model pools together, corrected at once with Benjamini–Hochberg (or –Yekutieli, or none), so under no
 * change at all the gate fails a run with probability at most q. A hypothesis fails the gate when its q-value is
 * at most `fdrLevel` and its drop is at least `minDrop`.
 *
 * Suspected infra errors of the candidate are left out and counted; a series whose candidate attempts were all
 * infra errors is counted, never tested. Flaky series (flip rate and pass entropy of the baseline runs at least
 * the trends' thresholds) are labelled; `flaky: 'test'` tests them like any other, `'exclude'` leaves them out
 * of the family and lists them. Every tested hypothesis carries its minimum detectable drop at the level its
 * flag must meet (q / m under BH), so a gate with too few attempts says it could not have seen a drop. Pure.
 */
import { z } from 'zod';
import { guaranteedLevel, minimumDetectableDrop } from '../stats/detectable-drop.js';
import { qValues } from '../stats/false-discovery.js';
import { flipRate, passEntropy } from '../stats/flips.js';
import { stratifiedDropTest, type DropStratum } from '../stats/stratified-drop.js';
import { formatLabel } from './leaderboard-grouping.js';
import { classifyStatSeries, runPassed } from './trends-statistical.js';
import type { RunAttempts, StatSeriesDoc } from './trends.js';

export const ciGateRulesSchema = z.strictObject({
  /** 'none': p <= fdrLevel; 'bh': Benjamini–Hochberg; 'by': Benjamini–Yekutieli, over the run's family. */
  fdrMethod: z.enum(['none', 'bh', 'by']),
  fdrLevel: z.number().gt(0).lt(1),
  /** A flagged hypothesis fails the gate only when its pass rate fell by at least this (0..1). */
  minDrop: z.number().min(0).max(1),
  /** 'test': flaky series are tested as any other (and labelled); 'exclude': left out of the family, listed. */
  flaky: z.enum(['test', 'exclude']),
  flakyFlipRate: z.number().min(0).max(1),
  flakyEntropy: z.number().min(0).max(1),
  /** The power the minimum detectable drops are reported at. */
  mdePower: z.number().gt(0).lt(1),
});
export type CiGateRules = z.infer<typeof ciGateRulesSchema>;

/** BH at q = 0.05 over the run, any significant drop fails, flaky series tested; the trends' flaky thresholds. */
export const DEFAULT_CI_GATE_RULES: CiGateRules = { fdrMethod: 'bh', fdrLevel: 0.05, minDrop: 0, flaky: 'test', flakyFlipRate: 0.3, flakyEntropy: 0.7, mdePower: 0.8 };

export interface CiGateSeriesInput {
  model: string;
  /** Stored format ('' for none). */
  format: string;
  test: string;
  /** The candidate's attempts that were not suspected infra errors; null when there were none. */
  candidate: RunAttempts | null;
  /** The baseline runs, newest first. */
  baseline: readonly RunAttempts[];
  /** The candidate's suspected infra errors on this series (left out). */
  infraErrors: number;
}

export type CiGateSeriesStatus = 'tested' | 'no-baseline' | 'infra-only' | 'flaky-excluded';

interface Tally {
  attempts: number;
  passes: number;
  pass_rate: number | null;
}

export interface CiGateHypothesis {
  kind: 'series' | 'model';
  model: string;
  format: string;
  /** null for a model pool. */
  test: string | null;
  baseline: Tally & { runs: number };
  candidate: Tally;
  /** Baseline pass rate minus the candidate's (series); minus the Mantel–Haenszel difference (pool). */
  drop: number | null;
  p: number;
  q: number;
  /** Smallest drop flagged with power `mdePower` at the level this flag must meet; null: none could be. */
  mde: number | null;
  flaky: boolean;
  failed: boolean;
}

export interface CiGateSeriesLine {
  model: string;
  format: string;
  test: string;
  status: CiGateSeriesStatus;
  flaky: boolean;
  infra_errors: number;
}

export interface CiGateVerdict {
  run: string;
  /** 'no-data': nothing could be tested (no series of the run has a baseline). */
  verdict: 'pass' | 'fail' | 'no-data';
  rules: CiGateRules;
  /** The family corrected together: the run's tested series and its model pools. */
  family: { hypotheses: number; series: number; pools: number; level: number };
  counts: Record<CiGateSeriesStatus, number> & { series: number; flaky: number; infra_errors: number; failed: number };
  /** Failed hypotheses, smallest q first. */
  failures: CiGateHypothesis[];
  /** Every tested hypothesis (series, then model pools), in model, format, test order. */
  hypotheses: CiGateHypothesis[];
  /** Series not tested, and why. */
  untested: CiGateSeriesLine[];
}

const tally = (attempts: number, passes: number): Tally => ({ attempts, passes, pass_rate: attempts > 0 ? passes / attempts : null });

/** Flaky by the baseline runs alone: the candidate's own failure never makes a series look flaky. */
export function baselineFlaky(baseline: readonly RunAttempts[], rules: Pick<CiGateRules, 'flakyFlipRate' | 'flakyEntropy'>): boolean {
  if (baseline.length < 2) return false;
  const chronological = [...baseline].reverse().map(runPassed);
  return flipRate(chronological) >= rules.flakyFlipRate && passEntropy(chronological) >= rules.flakyEntropy;
}

export function ciGateVerdict(run: string, input: readonly CiGateSeriesInput[], rules: CiGateRules): CiGateVerdict {
  const series = [...input].sort((a, b) => cmp(a.model, b.model) || cmp(a.format, b.format) || cmp(a.test, b.test));
  const untested: CiGateSeriesLine[] = [];
  const tested: { h: CiGateHypothesis; stratum: DropStratum }[] = [];
  let flakyCount = 0;
  let infraErrors = 0;
  for (const s of series) {
    const flaky = baselineFlaky(s.baseline, rules);
    flakyCount += flaky ? 1 : 0;
    infraErrors += s.infraErrors;
    const line = (status: CiGateSeriesStatus) => untested.push({ model: s.model, format: formatLabel(s.format), test: s.test, status, flaky, infra_errors: s.infraErrors });
    if (s.candidate === null || s.candidate.n === 0) line('infra-only');
    else if (s.baseline.length === 0) line('no-baseline');
    else if (flaky && rules.flaky === 'exclude') line('flaky-excluded');
    else tested.push(judgeSeries(s, s.candidate, flaky, rules));
  }
  const pools = modelPools(tested);
  const all = [...tested, ...pools];
  const p = all.map((x) => x.h.p);
  const q = rules.fdrMethod === 'none' ? p : qValues(p, rules.fdrMethod);
  const level = guaranteedLevel(rules.fdrMethod, rules.fdrLevel, all.length);
  // Series of one run share few distinct (baseline, candidate) tallies: their MDEs are worked out once each.
  const seriesMde = new Map<string, number | null>();
  const mdeOf = (s: DropStratum) => {
    const key = `${s.baselineAttempts},${s.baselinePasses},${s.recentAttempts}`;
    if (!seriesMde.has(key)) seriesMde.set(key, minimumDetectableDrop([s], level, rules.mdePower));
    return seriesMde.get(key)!;
  };
  all.forEach((x, i) => {
    x.h.q = q[i]!;
    x.h.mde = x.stratum === POOL ? minimumDetectableDrop(poolStrata(x.h, tested), level, rules.mdePower) : mdeOf(x.stratum);
    x.h.failed = x.h.q <= rules.fdrLevel && x.h.drop !== null && x.h.drop > 0 && x.h.drop >= rules.minDrop;
  });
  const hypotheses = all.map((x) => x.h);
  const failures = hypotheses.filter((h) => h.failed).sort((a, b) => a.q - b.q || a.p - b.p);
  const status = (s: CiGateSeriesStatus) => untested.filter((u) => u.status === s).length;
  return {
    run,
    verdict: all.length === 0 ? 'no-data' : failures.length > 0 ? 'fail' : 'pass',
    rules,
    family: { hypotheses: all.length, series: tested.length, pools: pools.length, level },
    counts: {
      series: series.length,
      tested: tested.length,
      'no-baseline': status('no-baseline'),
      'infra-only': status('infra-only'),
      'flaky-excluded': status('flaky-excluded'),
      flaky: flakyCount,
      infra_errors: infraErrors,
      failed: failures.length,
    },
    failures,
    hypotheses,
    untested,
  };
}

/** One series by the trends' classifier, the candidate its only recent run. */
function judgeSeries(s: CiGateSeriesInput, candidate: RunAttempts, flaky: boolean, rules: CiGateRules): { h: CiGateHypothesis; stratum: DropStratum } {
  const doc: StatSeriesDoc = { kind: 'stat', model: s.model, format: s.format, test: s.test, infraErrors: s.infraErrors, runs: [candidate, ...s.baseline], droppedUpTo: '' };
  const runs = doc.runs.length;
  const e = classifyStatSeries(doc, { window: runs, recent: 1, alpha: rules.fdrLevel, flakyFlipRate: rules.flakyFlipRate, flakyEntropy: rules.flakyEntropy, minRuns: 2 });
  const stratum = { baselineAttempts: e.baseline.attempts, baselinePasses: e.baseline.passes, recentAttempts: e.recent.attempts, recentPasses: e.recent.passes };
  const drop = e.baseline.pass_rate !== null && e.recent.pass_rate !== null ? e.baseline.pass_rate - e.recent.pass_rate : null;
  return {
    stratum,
    h: {
      kind: 'series',
      model: s.model,
      format: formatLabel(s.format),
      test: s.test,
      baseline: { runs: e.baseline.runs, ...tally(e.baseline.attempts, e.baseline.passes) },
      candidate: tally(e.recent.attempts, e.recent.passes),
      drop,
      p: e.p_regression ?? 1,
      q: 1,
      mde: null,
      flaky,
      failed: false,
    },
  };
}

/** Marks a pool's entry (its strata are its series'). */
const POOL: DropStratum = { baselineAttempts: 0, baselinePasses: 0, recentAttempts: 0, recentPasses: 0 };

/** One pool per model (and format) of the run with at least two tested series. */
function modelPools(tested: readonly { h: CiGateHypothesis; stratum: DropStratum }[]): { h: CiGateHypothesis; stratum: DropStratum }[] {
  const groups = new Map<string, { h: CiGateHypothesis; stratum: DropStratum }[]>();
  for (const t of tested) {
    const key = JSON.stringify([t.h.model, t.h.format]);
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(t);
  }
  const pools: { h: CiGateHypothesis; stratum: DropStratum }[] = [];
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const strata = members.map((m) => m.stratum);
    const test = stratifiedDropTest(strata);
    const sum = (pick: (s: DropStratum) => number) => strata.reduce((total, s) => total + pick(s), 0);
    const first = members[0]!.h;
    pools.push({
      stratum: POOL,
      h: {
        kind: 'model',
        model: first.model,
        format: first.format,
        test: null,
        baseline: { runs: Math.max(...members.map((m) => m.h.baseline.runs)), ...tally(sum((s) => s.baselineAttempts), sum((s) => s.baselinePasses)) },
        candidate: tally(sum((s) => s.recentAttempts), sum((s) => s.recentPasses)),
        drop: test.difference === null ? null : -test.difference,
        p: test.p,
        q: 1,
        mde: null,
        flaky: false,
        failed: false,
      },
    });
  }
  return pools;
}

function poolStrata(pool: CiGateHypothesis, tested: readonly { h: CiGateHypothesis; stratum: DropStratum }[]): DropStratum[] {
  return tested.filter((t) => t.h.model === pool.model && t.h.format === pool.format).map((t) => t.stratum);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
