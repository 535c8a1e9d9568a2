/**
 * Our own leaderboard over the `leaderboard` projection's cells documents (or cells folded from the history
 * for a time window / as-of date): per (model, tool format[, suite]) the latest run of each test, suspected
 * infra errors left out and counted apart, Wilson intervals, pass@k where a test was repeated in its latest
 * run, cost and tokens per pass over all outcomes. Pure.
 */
import type { CellsDoc, TestCell } from './leaderboard.js';
import { formatLabel } from './leaderboard-grouping.js';
import { passAtK } from '../stats/pass-at-k.js';
import { wilsonInterval } from '../stats/wilson.js';

export interface DefaultLeaderboardOptions {
  model?: string;
  /** A tool format, or `default` for none. */
  format?: string;
  suite?: string;
  /** One row per suite instead of one per (model, format). */
  bySuite?: boolean;
  /** k for pass@k (tests whose latest run has at least k attempts). */
  k?: number;
  /** Wilson z (1.96: 95%). */
  z?: number;
  minTests?: number;
}

export interface DefaultLeaderboardRow {
  model: string;
  format: string;
  suite: string | null;
  tests: number;
  /** Attempts in the tests' latest runs (infra errors excluded) and passes among them. */
  attempts: number;
  passes: number;
  pass_rate: number;
  wilson_lower: number;
  wilson_upper: number;
  k: number;
  /** Mean pass@k over tests with at least k attempts in their latest run; null when none. */
  pass_at_k: number | null;
  tests_with_repeats: number;
  /** Over all outcomes, not only latest runs. */
  outcomes: number;
  infra_errors: number;
  cost_usd: number | null;
  cost_per_pass: number | null;
  tokens_per_pass: number | null;
}

export function rankDefaultLeaderboard(docs: readonly CellsDoc[], options: DefaultLeaderboardOptions = {}): DefaultLeaderboardRow[] {
  const k = options.k ?? 1;
  const z = options.z ?? 1.96;
  const groups = new Map<string, { model: string; format: string; suite: string | null; cells: TestCell[] }>();
  for (const doc of docs) {
    if (options.model !== undefined && doc.model !== options.model) continue;
    if (options.format !== undefined && formatLabel(doc.format) !== options.format) continue;
    if (options.suite !== undefined && doc.suite !== options.suite) continue;
    const suite = options.bySuite ? doc.suite : null;
    const key = JSON.stringify([doc.model, doc.format, suite]);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { model: doc.model, format: doc.format, suite, cells: [] }));
    group.cells.push(...Object.values(doc.tests));
  }
  const rows: DefaultLeaderboardRow[] = [];
  for (const g of groups.values()) {
    const latest = g.cells.map((c) => c.latest).filter((l): l is NonNullable<typeof l> => l !== null);
    const attempts = latest.reduce((s, l) => s + l.n, 0);
    const passes = latest.reduce((s, l) => s + l.c, 0);
    if (latest.length < (options.minTests ?? 1)) continue;
    const repeated = latest.filter((l) => l.n >= k);
    const allPasses = g.cells.reduce((s, c) => s + c.passes, 0);
    const costed = g.cells.reduce((s, c) => s + c.costed, 0);
    const cost = g.cells.reduce((s, c) => s + c.costUsd, 0);
    const tokens = g.cells.reduce((s, c) => s + c.tokens, 0);
    const interval = wilsonInterval(passes, attempts, z);
    rows.push({
      model: g.model,
      format: formatLabel(g.format),
      suite: g.suite,
      tests: latest.length,
      attempts,
      passes,
      pass_rate: attempts > 0 ? passes / attempts : 0,
      wilson_lower: interval.lower,
      wilson_upper: interval.upper,
      k,
      pass_at_k: repeated.length > 0 ? repeated.reduce((s, l) => s + passAtK(l.n, l.c, k), 0) / repeated.length : null,
      tests_with_repeats: latest.filter((l) => l.n > 1).length,
      outcomes: g.cells.reduce((s, c) => s + c.passes + c.fails + c.infraErrors, 0),
      infra_errors: g.cells.reduce((s, c) => s + c.infraErrors, 0),
      cost_usd: costed > 0 ? cost : null,
      cost_per_pass: costed > 0 && allPasses > 0 ? cost / allPasses : null,
      tokens_per_pass: tokens > 0 && allPasses > 0 ? tokens / allPasses : null,
    });
  }
  return rows.sort(
    (a, b) =>
      b.wilson_lower - a.wilson_lower ||
      b.tests - a.tests ||
      cmp(a.model, b.model) ||
      cmp(a.format, b.format) ||
      cmp(a.suite ?? '', b.suite ?? ''),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
