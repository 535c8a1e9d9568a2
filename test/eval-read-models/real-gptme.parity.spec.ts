/**
 * Parity with gptme on its real public history (../shared/fixtures/gptme). The expected values come from a
 * deliberately simple reference written straight from PROVENANCE.md's description of gptme's leaderboard.py
 * and trends.py: it reads the CSV files itself (csv-parse, not our importer), splits Model on any last `@`,
 * orders runs by folder name and rows by file order, rounds as Python does (python-format.ts, checked against
 * Python itself in test/stats/). Our side goes the production way: our importer's run
 * reader -> events -> the `leaderboard` / `trends` projections -> our ranking and labelling code.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { leaderboard, type GptmePairDoc } from '../../projections/eval/leaderboard.js';
import { rankGptmeLeaderboard } from '../../projections/eval/leaderboard-gptme.js';
import { given, type GivenEvent } from '../../projections/machinery/testing.js';
import { trends, type GptmeSeriesDoc } from '../../projections/eval/trends.js';
import { gptmeTrendsReport, summariesFromDocs } from '../../projections/eval/trends-gptme.js';
import { classifyStatSeries } from '../../projections/eval/trends-statistical.js';
import { correctTrendLabels, DEFAULT_TRENDS_FDR_RULES } from '../../projections/eval/trends-false-discovery.js';
import { pythonRound } from '../../projections/stats/python-format.js';
import { DEFAULT_STATISTICAL_RULES, type StatSeriesDoc } from '../../projections/eval/trends.js';
import type { TestOutcomeRecordedData } from '../../contracts/eval.js';
import { REAL_RESULTS, realOutcomeEvents } from './support/real-gptme-events.js';

const RESULTS = REAL_RESULTS;
const present = existsSync(RESULTS);
const describeReal = present ? describe : describe.skip;
const title = present
  ? 'gptme parity on the real gptme history (590 runs)'
  : 'NOT RUN: gptme parity on real runs needs ../shared/fixtures/gptme, which is absent';

interface RefRow {
  model: string;
  format: string;
  test: string;
  passed: boolean;
  run: string;
}

/** The reference reader: every row with Model, Test and Passed true/false; `model@fmt` split on the last `@`. */
function referenceRows(): RefRow[] {
  const rows: RefRow[] = [];
  for (const run of readdirSync(RESULTS).sort()) {
    const file = path.join(RESULTS, run, 'eval_results.csv');
    if (!existsSync(file)) continue;
    const records = parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    for (const r of records) {
      let model = (r['Model'] ?? '').trim();
      let format = (r['Tool Format'] ?? '').trim();
      const test = (r['Test'] ?? '').trim();
      const passed = (r['Passed'] ?? '').trim().toLowerCase();
      if (!model || !test || (passed !== 'true' && passed !== 'false')) continue;
      if (model.includes('@')) {
        const at = model.lastIndexOf('@');
        format = model.slice(at + 1);
        model = model.slice(0, at);
      }
      rows.push({ model, format, test, passed: passed === 'true', run });
    }
  }
  return rows;
}

/** gptme's leaderboard as PROVENANCE.md states it. */
function referenceLeaderboard(rows: RefRow[]) {
  const pairs = new Map<string, { model: string; format: string; latest: Map<string, RefRow> }>();
  for (const r of rows) {
    const key = `${r.model}\u0000${r.format}`;
    if (!pairs.has(key)) pairs.set(key, { model: r.model, format: r.format, latest: new Map() });
    const latest = pairs.get(key)!.latest;
    const prev = latest.get(r.test);
    if (!prev || prev.run <= r.run) latest.set(r.test, r); // rows come in run then file order: last wins
  }
  const wilson = (p: number, n: number) => (p / n + 1 / (2 * n) - Math.sqrt((p / n) * (1 - p / n) / n + 1 / (4 * n * n))) / (1 + 1 / n);
  const best = new Map<string, { model: string; format: string; passed: number; tests: number; score: number }>();
  for (const pair of pairs.values()) {
    const tests = pair.latest.size;
    if (tests < 4) continue;
    const passed = [...pair.latest.values()].filter((r) => r.passed).length;
    const entry = { model: pair.model, format: pair.format, passed, tests, score: wilson(passed, tests) };
    const cur = best.get(pair.model);
    if (!cur || entry.score > cur.score || (entry.score === cur.score && entry.tests > cur.tests)) best.set(pair.model, entry);
  }
  return [...best.values()].sort((a, b) => b.score - a.score || b.tests - a.tests);
}

/** gptme's trends labels as PROVENANCE.md states them, per `model@format` and test. */
function referenceTrends(rows: RefRow[]) {
  const series = new Map<string, RefRow[]>();
  for (const r of rows) {
    const key = JSON.stringify([r.format ? `${r.model}@${r.format}` : r.model, r.test]);
    if (!series.has(key)) series.set(key, []);
    series.get(key)!.push(r);
  }
  const labels: Record<string, string> = {};
  for (const [key, runs] of series) {
    if (runs.length < 2) continue;
    const rate = runs.filter((r) => r.passed).length / runs.length;
    const latest = runs[runs.length - 1]!;
    const previous = runs[runs.length - 2]!;
    let label: string;
    if (runs.length >= 4 && rate > 0.1 && rate < 0.9) label = 'flaky';
    else if (previous.passed && !latest.passed) label = 'regressions';
    else if (!previous.passed && latest.passed) label = 'improvements';
    else label = latest.passed ? 'stable_pass' : 'stable_fail';
    labels[`${key} ${pythonRound(rate, 3)} ${runs.length} ${latest.run} ${previous.run}`] = label;
  }
  return labels;
}

describeReal(title, () => {
  let events: GivenEvent[];
  let reference: RefRow[];
  beforeAll(async () => {
    events = await realOutcomeEvents();
    reference = referenceRows();
  }, 120_000);

  it('reads the same rows both ways (23,944)', () => {
    expect(events).toHaveLength(23_944);
    expect(reference).toHaveLength(23_944);
  });

  it('leaderboard --mode gptme equals the reference, row for row (model, format, passed, tests, score)', () => {
    const docs = Object.values(given(leaderboard, events).documents).filter((d): d is GptmePairDoc => d.kind === 'gptme');
    const ours = rankGptmeLeaderboard(docs);
    const expected = referenceLeaderboard(reference);
    expect(ours.length).toBeGreaterThan(10);
    expect(ours.map((r) => [r.model, r.format, r.total_passed, r.total_tests])).toEqual(
      expected.map((r) => [r.model, r.format || 'default', r.passed, r.tests]),
    );
    ours.forEach((r, i) => expect(r.ranking_score).toBeCloseTo(expected[i]!.score, 12));
    // Rows without any format (old files) form their own pairs, shown as `default`.
    expect(docs.some((d) => d.format === '')).toBe(true);
  }, 120_000);

  it('trends --rules gptme equals the reference label for every series', () => {
    const docs = Object.values(given(trends, events).documents).filter((d): d is GptmeSeriesDoc => d.kind === 'gptme');
    const report = gptmeTrendsReport(summariesFromDocs(docs));
    const ours: Record<string, string> = {};
    for (const [label, entries] of Object.entries(report)) {
      for (const e of entries) {
        ours[`${JSON.stringify([e.model, e.test])} ${e.pass_rate} ${e.total_runs} ${e.latest_run} ${e.previous_run}`] = label;
      }
    }
    const expected = referenceTrends(reference);
    expect(Object.keys(ours).length).toBeGreaterThan(100);
    expect(ours).toEqual(expected);
    expect(report.flaky.length).toBeGreaterThan(0);
    expect(report.regressions.length).toBeGreaterThan(0);
  }, 120_000);

  it('statistical rules (defaults) equal a brute-force reference: exact BigInt hypergeometric sums over the last 20 runs', () => {
    const docs = Object.values(given(trends, events).documents).filter((d): d is StatSeriesDoc => d.kind === 'stat');
    const ours = new Map(docs.map((d) => [JSON.stringify([d.model, d.format, d.test]), classifyStatSeries(d, DEFAULT_STATISTICAL_RULES)]));
    const correctedEntries = correctTrendLabels([...ours.values()], DEFAULT_STATISTICAL_RULES, DEFAULT_TRENDS_FDR_RULES);
    const corrected = new Map([...ours.keys()].map((key, i) => [key, correctedEntries[i]!]));
    const referenceP = new Map<string, { p: number; latestRun: string }>();
    // Reference: group the outcomes by (model, format, test) from the event data, runs by folder name,
    // suspected infra errors dropped, last 20 runs, newest 5 = recent.
    const runs = new Map<string, Map<string, { n: number; c: number }>>();
    for (const e of events) {
      const o = e.data as TestOutcomeRecordedData;
      if (!o.passed && o.suspectedInfraError) continue;
      const key = JSON.stringify([o.model, o.toolFormat ?? '', o.test]);
      if (!runs.has(key)) runs.set(key, new Map());
      const r = runs.get(key)!.get(o.runId) ?? { n: 0, c: 0 };
      runs.get(key)!.set(o.runId, { n: r.n + 1, c: r.c + (o.passed ? 1 : 0) });
    }
    const choose = (n: number, k: number): bigint => {
      if (k < 0 || k > n) return 0n;
      let x = 1n;
      for (let i = 1; i <= k; i += 1) x = (x * BigInt(n - k + i)) / BigInt(i);
      return x;
    };
    let regressions = 0;
    let checked = 0;
    for (const [key, byRun] of runs) {
      const window = [...byRun.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).slice(-20);
      const entry = ours.get(key)!;
      expect(entry.runs).toBe(window.length);
      if (window.length < 4) {
        expect(entry.label).toBe('insufficient');
        continue;
      }
      const recent = window.slice(-5).map(([, r]) => r);
      const base = window.slice(0, -5).map(([, r]) => r);
      if (base.length === 0) continue;
      const a = base.reduce((s, r) => s + r.c, 0);
      const b = base.reduce((s, r) => s + r.n - r.c, 0);
      const c = recent.reduce((s, r) => s + r.c, 0);
      const d = recent.reduce((s, r) => s + r.n - r.c, 0);
      let num = 0n;
      for (let x = 0; x <= c; x += 1) num += choose(a + c, x) * choose(b + d, c + d - x);
      const p = Number((num * 10n ** 15n) / choose(a + b + c + d, c + d)) / 1e15;
      expect(entry.p_regression!).toBeCloseTo(p, 10);
      referenceP.set(key, { p, latestRun: window[window.length - 1]![0] });
      if (p < 0.05) {
        expect(entry.label).toBe('regression');
        regressions += 1;
      } else expect(entry.label).not.toBe('regression');
      checked += 1;
    }
    expect(checked).toBeGreaterThan(100);
    expect(regressions).toBeGreaterThan(0);
    // The default labels: Benjamini–Hochberg at 0.05 over each run's series (the series whose latest run is that
    // run), by the textbook step-up: the largest k with p(k) <= 0.05·k/m, and every p <= p(k) flagged.
    const byRun = new Map<string, { key: string; p: number }[]>();
    for (const [key, { p, latestRun }] of referenceP) byRun.set(latestRun, [...(byRun.get(latestRun) ?? []), { key, p }]);
    let kept = 0;
    for (const members of byRun.values()) {
      const sorted = members.map((m) => m.p).sort((a, b) => a - b);
      let cutoff = -1;
      sorted.forEach((p, i) => {
        if (p <= (0.05 * (i + 1)) / sorted.length) cutoff = p;
      });
      for (const { key, p } of members) {
        const flagged = cutoff >= 0 && p <= cutoff;
        expect(corrected.get(key)!.label === 'regression').toBe(flagged);
        if (flagged) kept += 1;
      }
    }
    expect(kept).toBeLessThanOrEqual(regressions);
  }, 120_000);
});
