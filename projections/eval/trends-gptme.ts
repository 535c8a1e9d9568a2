/**
 * gptme's trends rules (PROVENANCE.md and the issue): per (model@format, test), runs in order, at least two;
 * flaky first when runs >= 4 and 0.1 < pass rate < 0.9; then regression (previous passed, latest failed),
 * improvement (the reverse), stable pass or stable fail. Also gptme's `--diff`. Pure.
 */
import type { GptmeSeriesDoc } from './trends.js';
import { pythonRound } from '../stats/python-format.js';

export interface GptmeTrendEntry {
  model: string;
  test: string;
  latest_passed: boolean;
  previous_passed: boolean;
  latest_run: string;
  previous_run: string;
  pass_rate: number;
  total_runs: number;
}

export interface GptmeTrendsReport {
  regressions: GptmeTrendEntry[];
  improvements: GptmeTrendEntry[];
  stable_pass: GptmeTrendEntry[];
  stable_fail: GptmeTrendEntry[];
  flaky: GptmeTrendEntry[];
}

export type GptmeTrendLabel = keyof GptmeTrendsReport;

/** One series as the rules need it: counts over the runs considered, and its two latest runs. */
export interface GptmeSeriesSummary {
  model: string;
  test: string;
  total: number;
  passes: number;
  latest: { runId: string; passed: boolean };
  previous: { runId: string; passed: boolean };
  /** Order key of the latest outcome (`<event time ISO>|<run>|...`): for time-window filters. */
  latestAt?: string;
}

export function gptmeTrendLabel(s: Pick<GptmeSeriesSummary, 'total' | 'passes' | 'latest' | 'previous'>): GptmeTrendLabel {
  const rate = s.passes / s.total;
  if (s.total >= 4 && rate > 0.1 && rate < 0.9) return 'flaky';
  if (s.previous.passed && !s.latest.passed) return 'regressions';
  if (!s.previous.passed && s.latest.passed) return 'improvements';
  return s.latest.passed ? 'stable_pass' : 'stable_fail';
}

export interface GptmeTrendsOptions {
  /** Case-insensitive substring of `model@format`. */
  model?: string;
}

export function emptyGptmeReport(): GptmeTrendsReport {
  return { regressions: [], improvements: [], stable_pass: [], stable_fail: [], flaky: [] };
}

/** Series (any order) to gptme's report, entries sorted by model then test as gptme iterates them. */
export function gptmeTrendsReport(series: readonly GptmeSeriesSummary[], options: GptmeTrendsOptions = {}): GptmeTrendsReport {
  const report = emptyGptmeReport();
  const filter = options.model?.toLowerCase();
  const sorted = series
    .filter((s) => s.total >= 2 && (filter === undefined || s.model.toLowerCase().includes(filter)))
    .sort((a, b) => cmp(a.model, b.model) || cmp(a.test, b.test));
  for (const s of sorted) {
    report[gptmeTrendLabel(s)].push({
      model: s.model,
      test: s.test,
      latest_passed: s.latest.passed,
      previous_passed: s.previous.passed,
      latest_run: s.latest.runId,
      previous_run: s.previous.runId,
      pass_rate: pythonRound(s.passes / s.total, 3),
      total_runs: s.total,
    });
  }
  return report;
}

/** The projection's documents to summaries (series with fewer than two outcomes are left out). */
export function summariesFromDocs(docs: readonly GptmeSeriesDoc[]): GptmeSeriesSummary[] {
  return docs
    .filter((d) => d.last.length >= 2)
    .map((d) => ({
      model: d.model,
      test: d.test,
      total: d.total,
      passes: d.passes,
      latest: { runId: d.last[0]!.runId, passed: d.last[0]!.passed },
      previous: { runId: d.last[1]!.runId, passed: d.last[1]!.passed },
      latestAt: d.last[0]!.at,
    }));
}

/** An outcome in gptme's grouping, as the test-history rows give them. */
export interface GptmeOutcomePoint {
  modelKey: string;
  test: string;
  runId: string;
  passed: boolean;
  /** Sorts outcomes in gptme's order (run, then row). */
  orderKey: string;
}

/** Summaries from raw outcomes, keeping only the last `last` outcomes of each series (gptme's `--last N`). */
export function summariesFromPoints(points: readonly GptmeOutcomePoint[], last?: number): GptmeSeriesSummary[] {
  const bySeries = new Map<string, GptmeOutcomePoint[]>();
  for (const p of points) {
    const key = JSON.stringify([p.modelKey, p.test]);
    const list = bySeries.get(key);
    if (list) list.push(p);
    else bySeries.set(key, [p]);
  }
  const out: GptmeSeriesSummary[] = [];
  for (const list of bySeries.values()) {
    let runs = [...list].sort((a, b) => cmp(a.orderKey, b.orderKey));
    if (last) runs = runs.slice(-last);
    if (runs.length < 2) continue;
    const latest = runs[runs.length - 1]!;
    const previous = runs[runs.length - 2]!;
    out.push({
      model: latest.modelKey,
      test: latest.test,
      total: runs.length,
      passes: runs.filter((r) => r.passed).length,
      latest: { runId: latest.runId, passed: latest.passed },
      previous: { runId: previous.runId, passed: previous.passed },
      latestAt: latest.orderKey,
    });
  }
  return out;
}

export interface GptmeModelDiff {
  latest_run: string;
  prev_run: string;
  gained: string[];
  lost: string[];
  unchanged_pass: number;
  unchanged_fail: number;
  new_tests: { test: string; passed: boolean }[];
  /** Tests in the previous run but not the latest (gptme's --diff computes them but does not list them). */
  removed_tests: string[];
}

/**
 * gptme's `--diff`: per model@format, its two latest runs (by run id, as gptme sorts folder names); a test's
 * result in a run is its last row there.
 */
export function gptmeDiff(points: readonly GptmeOutcomePoint[], options: GptmeTrendsOptions = {}): Record<string, GptmeModelDiff> {
  const filter = options.model?.toLowerCase();
  const byModel = new Map<string, GptmeOutcomePoint[]>();
  for (const p of points) {
    if (filter !== undefined && !p.modelKey.toLowerCase().includes(filter)) continue;
    const list = byModel.get(p.modelKey);
    if (list) list.push(p);
    else byModel.set(p.modelKey, [p]);
  }
  const diffs: Record<string, GptmeModelDiff> = {};
  for (const modelKey of [...byModel.keys()].sort(cmp)) {
    const list = [...byModel.get(modelKey)!].sort((a, b) => cmp(a.orderKey, b.orderKey));
    const runs = [...new Set(list.map((p) => p.runId))].sort(cmp);
    if (runs.length < 2) continue;
    const latestRun = runs[runs.length - 1]!;
    const prevRun = runs[runs.length - 2]!;
    const latest = new Map<string, boolean>();
    const prev = new Map<string, boolean>();
    for (const p of list) {
      if (p.runId === latestRun) latest.set(p.test, p.passed);
      else if (p.runId === prevRun) prev.set(p.test, p.passed);
    }
    const diff: GptmeModelDiff = {
      latest_run: latestRun,
      prev_run: prevRun,
      gained: [],
      lost: [],
      unchanged_pass: 0,
      unchanged_fail: 0,
      new_tests: [],
      removed_tests: [],
    };
    for (const test of [...new Set([...latest.keys(), ...prev.keys()])].sort(cmp)) {
      const now = latest.get(test);
      const before = prev.get(test);
      if (now !== undefined && before !== undefined) {
        if (now && !before) diff.gained.push(test);
        else if (!now && before) diff.lost.push(test);
        else if (now) diff.unchanged_pass += 1;
        else diff.unchanged_fail += 1;
      } else if (now !== undefined) diff.new_tests.push({ test, passed: now });
      else diff.removed_tests.push(test);
    }
    diffs[modelKey] = diff;
  }
  return diffs;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
