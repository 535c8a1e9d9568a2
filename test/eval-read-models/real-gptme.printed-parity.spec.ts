/**
 * gptme's printed numbers on its real history, checked against Python itself: every pass rate our gptme modes
 * print (trends JSON `pass_rate` = round(x, 3); the trends table's `{:.0%}`; the leaderboard's `{:.0%}` and CSV
 * `{:.1%}`) is compared as text with what python3 prints for the same passes/total. Needs ../shared's real
 * history and a python3 on PATH; the title says which is missing when it does not run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { leaderboard, type GptmePairDoc } from '../../projections/eval/leaderboard.js';
import { rankGptmeLeaderboard } from '../../projections/eval/leaderboard-gptme.js';
import { given, type GivenEvent } from '../../projections/machinery/testing.js';
import { trends, type GptmeSeriesDoc } from '../../projections/eval/trends.js';
import { gptmeTrendsReport, summariesFromDocs } from '../../projections/eval/trends-gptme.js';
import { pythonRepr } from '../../projections/stats/python-format.js';
import { gptmeLeaderboardCsv, gptmeLeaderboardTable, gptmeTrendsTable } from '../../src/eval-read-models/render.js';
import { REAL_RESULTS, realOutcomeEvents } from './support/real-gptme-events.js';

const RESULTS = REAL_RESULTS;
const havePython = spawnSync('python3', ['--version']).status === 0;
const runs = existsSync(RESULTS) && havePython;
const title = runs
  ? 'gptme modes print pass rates as Python does, on the real gptme history'
  : `NOT RUN: printed-value parity needs ${existsSync(RESULTS) ? '' : '../shared/fixtures/gptme (absent) '}${havePython ? '' : 'python3 (not on PATH)'}`;

/**
 * Python's own text for each passes/total x: repr(round(x, 3)); f"{round(x, 3):.0%}" (gptme's trends table
 * formats the rounded entry); f"{x:.0%}" and f"{x:.1%}" (the leaderboard formats the exact rate).
 */
function pythonPrints(pairs: [number, number][]): string[][] {
  const script = [
    'import json, sys',
    'pairs = json.load(sys.stdin)',
    'print(json.dumps([[repr(round(p / t, 3)), f"{round(p / t, 3):.0%}", f"{p / t:.0%}", f"{p / t:.1%}"] for p, t in pairs]))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(pairs) }).toString()) as string[][];
}

(runs ? describe : describe.skip)(title, () => {
  let events: GivenEvent[];
  beforeAll(async () => {
    events = await realOutcomeEvents();
  }, 120_000);

  it('trends: every pass_rate (JSON) and table percentage equals Python, ties included', () => {
    const docs = Object.values(given(trends, events).documents).filter((d): d is GptmeSeriesDoc => d.kind === 'gptme');
    const summaries = summariesFromDocs(docs);
    const report = gptmeTrendsReport(summaries);
    const entries = Object.values(report).flat();
    const byKey = new Map(summaries.map((s) => [JSON.stringify([s.model, s.test]), s]));
    const pairs = entries.map((e) => {
      const s = byKey.get(JSON.stringify([e.model, e.test]))!;
      return [s.passes, s.total] as [number, number];
    });
    const python = pythonPrints(pairs);
    expect(entries.length).toBeGreaterThan(100);
    expect(entries.map((e) => pythonRepr(e.pass_rate))).toEqual(python.map((p) => p[0]));
    // The table prints the regressions, improvements and flaky sections with {:>9.0%}.
    const printed = gptmeTrendsTable(report).split('\n').filter((l) => /%\s+\d+$/.test(l)).map((l) => l.trim().split(/\s+/).at(-2));
    const shown = [...report.regressions, ...report.improvements, ...report.flaky];
    const expectedShown = new Map(entries.map((e, i) => [e, python[i]![1]]));
    expect(printed.sort()).toEqual(shown.map((e) => expectedShown.get(e)!).sort());
    // The real history holds exact binary ties, where Math.round and toFixed print other values.
    const roundTies = pairs.filter(([p, t], i) => Math.round((p / t) * 1000) / 1000 !== Number(python[i]![0]));
    const tableTies = entries.filter((e, i) => `${(e.pass_rate * 100).toFixed(0)}%` !== python[i]![1]);
    expect(roundTies.length + tableTies.length).toBeGreaterThan(0);
  }, 180_000);

  it('leaderboard: the table and CSV percentages equal Python for every row', () => {
    const docs = Object.values(given(leaderboard, events).documents).filter((d): d is GptmePairDoc => d.kind === 'gptme');
    const rows = rankGptmeLeaderboard(docs);
    const python = pythonPrints(rows.map((r) => [r.total_passed, r.total_tests]));
    expect(rows.length).toBeGreaterThan(10);
    const tableRates = gptmeLeaderboardTable(rows).split('\n').slice(2, -1).map((l) => /\((\d+%)\)/.exec(l)![1]);
    expect(tableRates).toEqual(python.map((p) => p[2]));
    const csvRates = gptmeLeaderboardCsv(rows).trim().split('\n').slice(1).map((l) => l.split(',').at(-2));
    expect(csvRates).toEqual(python.map((p) => p[3]));
  }, 180_000);
});
