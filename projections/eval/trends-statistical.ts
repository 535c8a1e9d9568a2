/**
 * Statistical trends over the `trends` projection's `stat` series: the last `window` runs (suspected infra
 * errors left out), a regression only when the recent runs' pass rate is significantly below the baseline's
 * (one-sided Fisher exact test at `alpha`), an improvement symmetrically, flaky by flip rate and pass entropy.
 * Every entry carries the numbers behind its label. Pure.
 */
import type { StatisticalRules, StatSeriesDoc } from './trends.js';
import { formatLabel } from './leaderboard-grouping.js';
import { fisherOneSidedGreater, fisherOneSidedLess } from '../stats/fisher.js';
import { flipRate, passEntropy } from '../stats/flips.js';

export type StatisticalLabel = 'regression' | 'improvement' | 'flaky' | 'stable_pass' | 'stable_fail' | 'insufficient';

export interface StatisticalTrendEntry {
  model: string;
  format: string;
  test: string;
  label: StatisticalLabel;
  runs: number;
  latest_run: string | null;
  latest_run_at: string | null;
  baseline: { runs: number; attempts: number; passes: number; pass_rate: number | null };
  recent: { runs: number; attempts: number; passes: number; pass_rate: number | null };
  /** One-sided Fisher exact p-values: recent below baseline, recent above baseline. */
  p_regression: number | null;
  p_improvement: number | null;
  flip_rate: number;
  entropy: number;
  infra_errors: number;
}

/** A run passed when at least half its attempts passed. */
function runPassed(r: { n: number; c: number }): boolean {
  return r.c * 2 >= r.n;
}

export function classifyStatSeries(doc: StatSeriesDoc, rules: StatisticalRules): StatisticalTrendEntry {
  const runs = doc.runs.slice(0, rules.window); // newest first
  const recentRuns = runs.slice(0, rules.recent);
  const baselineRuns = runs.slice(rules.recent);
  const sum = (list: typeof runs) => ({
    runs: list.length,
    attempts: list.reduce((s, r) => s + r.n, 0),
    passes: list.reduce((s, r) => s + r.c, 0),
  });
  const recent = sum(recentRuns);
  const baseline = sum(baselineRuns);
  const chronological = [...runs].reverse().map(runPassed);
  const flips = flipRate(chronological);
  const entropy = passEntropy(chronological);
  const comparable = runs.length >= rules.minRuns && baseline.runs > 0;
  const pRegression = comparable
    ? fisherOneSidedLess(baseline.passes, baseline.attempts - baseline.passes, recent.passes, recent.attempts - recent.passes)
    : null;
  const pImprovement = comparable
    ? fisherOneSidedGreater(baseline.passes, baseline.attempts - baseline.passes, recent.passes, recent.attempts - recent.passes)
    : null;
  let label: StatisticalLabel;
  if (runs.length < rules.minRuns) label = 'insufficient';
  else if (pRegression !== null && pRegression < rules.alpha) label = 'regression';
  else if (pImprovement !== null && pImprovement < rules.alpha) label = 'improvement';
  else if (flips >= rules.flakyFlipRate && entropy >= rules.flakyEntropy) label = 'flaky';
  else label = runPassed(runs[0]!) ? 'stable_pass' : 'stable_fail';
  const rate = (x: { attempts: number; passes: number }) => (x.attempts > 0 ? x.passes / x.attempts : null);
  return {
    model: doc.model,
    format: formatLabel(doc.format),
    test: doc.test,
    label,
    runs: runs.length,
    latest_run: runs[0]?.runId ?? null,
    latest_run_at: runs[0]?.time ?? null,
    baseline: { ...baseline, pass_rate: rate(baseline) },
    recent: { ...recent, pass_rate: rate(recent) },
    p_regression: pRegression,
    p_improvement: pImprovement,
    flip_rate: flips,
    entropy,
    infra_errors: doc.infraErrors,
  };
}
