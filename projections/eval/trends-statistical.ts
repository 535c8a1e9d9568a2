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
  /** Whether the newest run passed (at least half its attempts): stable_pass vs stable_fail. */
  latest_run_passed: boolean | null;
}

/** A run passed when at least half its attempts passed. */
export function runPassed(r: { n: number; c: number }): boolean {
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
  const latestPassed = runs[0] ? runPassed(runs[0]) : null;
  const label = statisticalLabel(
    { runs: runs.length, flip_rate: flips, entropy, latest_run_passed: latestPassed },
    { regression: pRegression !== null && pRegression < rules.alpha, improvement: pImprovement !== null && pImprovement < rules.alpha },
    rules,
  );
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
    latest_run_passed: latestPassed,
  };
}

/**
 * The label from what decides it: too few runs, then a significant regression, a significant improvement (as
 * the caller judged significance: p < alpha, or a false-discovery-corrected q), then flaky, then stable.
 */
export function statisticalLabel(
  series: Pick<StatisticalTrendEntry, 'runs' | 'flip_rate' | 'entropy' | 'latest_run_passed'>,
  significant: { regression: boolean; improvement: boolean },
  rules: StatisticalRules,
): StatisticalLabel {
  if (series.runs < rules.minRuns) return 'insufficient';
  if (significant.regression) return 'regression';
  if (significant.improvement) return 'improvement';
  if (series.flip_rate >= rules.flakyFlipRate && series.entropy >= rules.flakyEntropy) return 'flaky';
  return series.latest_run_passed ? 'stable_pass' : 'stable_fail';
}
