/**
 * Pooled regression tests beside the per-series labels. One series has one outcome per run, so on its own it
 * shows only large drops; pooled, a model's drop across every test it runs (strata: its tests) and a test's drop
 * across every model (strata: the models, each with its tool format) are tested with the one-sided stratified
 * Mantel–Haenszel test (stats/stratified-drop.ts), each stratum comparing its own recent runs with its own
 * baseline as the series labels do. Model pools and test pools are two families of their own, corrected with the
 * trends' false-discovery rules (method, level): the model pools by their newest run under `fdrFamily: 'run'`
 * (a run's models together), the test pools together (a test spans every model's runs). Each pool carries its p,
 * q and its minimum detectable drop at the level its flag must meet. Pure; from the classified entries of the
 * whole instance, never a page of them.
 */
import { guaranteedLevel, minimumDetectableDrop } from '../stats/detectable-drop.js';
import { qValues } from '../stats/false-discovery.js';
import { stratifiedDropTest, type DropStratum } from '../stats/stratified-drop.js';
import type { TrendsFdrRules } from './trends-false-discovery.js';
import type { StatisticalTrendEntry } from './trends-statistical.js';
import type { StatisticalRules } from './trends.js';

export type PoolKind = 'model' | 'test';

export interface PooledTrendEntry {
  pool: PoolKind;
  /** The model pool's model and format; null for a test pool. */
  model: string | null;
  format: string | null;
  /** The test pool's test; null for a model pool. */
  test: string | null;
  /** Series pooled (those with a p value: enough runs and a baseline). */
  strata: number;
  /** The newest run among the pooled series. */
  latest_run: string | null;
  baseline: { attempts: number; passes: number; pass_rate: number | null };
  recent: { attempts: number; passes: number; pass_rate: number | null };
  /** Mantel–Haenszel risk difference, recent minus baseline. */
  difference: number | null;
  p_regression: number | null;
  q_regression: number | null;
  regression: boolean;
  /** The smallest drop on every pooled series flagged with power `mdePower` at the pool's level; null: none. */
  mde_regression: number | null;
}

export interface PooledTrends {
  models: PooledTrendEntry[];
  tests: PooledTrendEntry[];
}

export function pooledTrends(entries: readonly StatisticalTrendEntry[], rules: StatisticalRules, fdr: TrendsFdrRules): PooledTrends {
  // In one canonical order: the sums (and so p and q) are the same to the last bit whatever order the entries came in.
  const tested = entries.filter((e) => e.p_regression !== null).sort(byModelFormatTest);
  const byModel = group(tested, (e) => JSON.stringify([e.model, e.format]));
  const byTest = group(tested, (e) => e.test);
  const models = [...byModel.values()].map((members) => pool('model', members));
  const tests = [...byTest.values()].map((members) => pool('test', members));
  correct(models, rules, fdr, (p) => (fdr.fdrFamily === 'run' ? (p.pool.latest_run ?? '') : ''));
  correct(tests, rules, fdr, () => '');
  return { models: models.map((p) => p.pool), tests: tests.map((p) => p.pool) };
}

interface Pool {
  pool: PooledTrendEntry;
  strata: DropStratum[];
}

function pool(kind: PoolKind, members: readonly StatisticalTrendEntry[]): Pool {
  const strata = members.map((e) => ({
    baselineAttempts: e.baseline.attempts,
    baselinePasses: e.baseline.passes,
    recentAttempts: e.recent.attempts,
    recentPasses: e.recent.passes,
  }));
  const test = stratifiedDropTest(strata);
  const sum = (pick: (s: DropStratum) => number) => strata.reduce((total, s) => total + pick(s), 0);
  const baseline = { attempts: sum((s) => s.baselineAttempts), passes: sum((s) => s.baselinePasses) };
  const recent = { attempts: sum((s) => s.recentAttempts), passes: sum((s) => s.recentPasses) };
  const first = members[0]!;
  let latest: StatisticalTrendEntry = first;
  for (const e of members) if ((e.latest_run_at ?? '') > (latest.latest_run_at ?? '')) latest = e;
  return {
    strata,
    pool: {
      pool: kind,
      model: kind === 'model' ? first.model : null,
      format: kind === 'model' ? first.format : null,
      test: kind === 'test' ? first.test : null,
      strata: test.strata,
      latest_run: latest.latest_run,
      baseline: { ...baseline, pass_rate: baseline.attempts > 0 ? baseline.passes / baseline.attempts : null },
      recent: { ...recent, pass_rate: recent.attempts > 0 ? recent.passes / recent.attempts : null },
      difference: test.difference,
      p_regression: test.p,
      q_regression: null,
      regression: false,
      mde_regression: null,
    },
  };
}

/** q-values, flags and MDEs within each family of pools. */
function correct(pools: Pool[], rules: StatisticalRules, fdr: TrendsFdrRules, familyOf: (p: Pool) => string): void {
  for (const members of group(pools, familyOf).values()) {
    const p = members.map((m) => m.pool.p_regression!);
    const q = fdr.fdrMethod === 'none' ? p : qValues(p, fdr.fdrMethod);
    const threshold = fdr.fdrMethod === 'none' ? rules.alpha : fdr.fdrLevel;
    const level = fdr.fdrMethod === 'none' ? rules.alpha : guaranteedLevel(fdr.fdrMethod, fdr.fdrLevel, members.length);
    members.forEach((m, i) => {
      m.pool.q_regression = q[i]!;
      // Uncorrected flags are p < alpha (as the series labels); corrected ones q <= level.
      m.pool.regression = fdr.fdrMethod === 'none' ? q[i]! < threshold : q[i]! <= threshold;
      m.pool.mde_regression = minimumDetectableDrop(m.strata, level, fdr.mdePower);
    });
  }
}

function byModelFormatTest(a: StatisticalTrendEntry, b: StatisticalTrendEntry): number {
  return cmp(a.model, b.model) || cmp(a.format, b.format) || cmp(a.test, b.test);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function group<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
