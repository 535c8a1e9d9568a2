/**
 * Text renderings of the read models for the CLI: gptme's table and CSV layouts where gptme has one, with
 * gptme's numbers printed by Python's rules (python-format.ts); the default mode's own layouts use toFixed.
 */
import type { DefaultLeaderboardRow } from '../../projections/eval/leaderboard-default.js';
import type { GptmeLeaderboardRow } from '../../projections/eval/leaderboard-gptme.js';
import type { GptmeModelDiff, GptmeTrendEntry, GptmeTrendsReport } from '../../projections/eval/trends-gptme.js';
import type { PooledTrendEntry } from '../../projections/eval/trends-pooled.js';
import type { StatisticalTrendEntry } from '../../projections/eval/trends-statistical.js';
import { pythonFixed, pythonPercent } from '../../projections/stats/python-format.js';

const pct = (x: number, digits: number) => `${(x * 100).toFixed(digits)}%`;

/** A number as the renderers write one (`-0.5`, `1e-3`, `75.0%`): a spreadsheet reads it as a value, never a formula. */
const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?%?$/i;
/** What a spreadsheet may run as a formula when a text cell starts with it (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell that a spreadsheet could take for a formula (model names come from the data: `=cmd|' /C calc'!A0`)
 * gets a leading apostrophe, so it shows as text. Numbers, negative ones included, and the bare `-` the layouts
 * write for "none" stay as they are.
 */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text) && text !== '-' && !NUMERIC.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csv(header: string[], rows: (string | number)[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n') + '\n';
}

export function gptmeLeaderboardCsv(rows: readonly GptmeLeaderboardRow[]): string {
  return csv(
    ['Model', 'Format', 'Passed', 'Total', 'Pass Rate', 'Score'],
    rows.map((r) => [r.model, r.format, r.total_passed, r.total_tests, pythonPercent(r.pass_rate, 1), pythonFixed(r.ranking_score, 3)]),
  );
}

export function gptmeLeaderboardTable(rows: readonly GptmeLeaderboardRow[]): string {
  return table(
    ['Model', 'Format', 'Overall', 'Score'],
    rows.map((r) => [r.model, r.format, `${r.total_passed}/${r.total_tests} (${pythonPercent(r.pass_rate, 0)})`, pythonFixed(r.ranking_score, 3)]),
  );
}

const defaultColumns = ['Model', 'Format', 'Suite', 'Tests', 'Passes', 'Attempts', 'Pass Rate', 'Wilson', 'pass@k', 'Infra', 'Cost/pass'];

function defaultCells(r: DefaultLeaderboardRow): (string | number)[] {
  return [
    r.model,
    r.format,
    r.suite ?? '',
    r.tests,
    r.passes,
    r.attempts,
    pct(r.pass_rate, 1),
    `${r.wilson_lower.toFixed(3)}-${r.wilson_upper.toFixed(3)}`,
    r.pass_at_k === null ? '-' : `${r.pass_at_k.toFixed(3)} (k=${r.k})`,
    r.infra_errors,
    r.cost_per_pass === null ? '-' : r.cost_per_pass.toFixed(4),
  ];
}

export function defaultLeaderboardTable(rows: readonly DefaultLeaderboardRow[]): string {
  return table(defaultColumns, rows.map(defaultCells));
}

/** gptme's trends table: regressions, improvements and flaky sections, then the summary. */
export function gptmeTrendsTable(report: GptmeTrendsReport): string {
  const lines: string[] = [];
  const section = (title: string, entries: GptmeTrendEntry[]) => {
    if (entries.length === 0) return;
    lines.push(title, '', `${'Model'.padEnd(45)} ${'Test'.padEnd(30)} ${'Pass Rate'.padStart(10)} ${'Runs'.padStart(5)}`, '-'.repeat(95));
    for (const e of entries) {
      lines.push(`${e.model.padEnd(45)} ${e.test.padEnd(30)} ${pythonPercent(e.pass_rate, 0).padStart(10)} ${String(e.total_runs).padStart(5)}`);
    }
    lines.push('');
  };
  const byRate = (list: GptmeTrendEntry[], dir: 1 | -1) => [...list].sort((a, b) => dir * (a.pass_rate - b.pass_rate));
  section('## Regressions (was passing, now failing)', byRate(report.regressions, 1));
  section('## Improvements (was failing, now passing)', byRate(report.improvements, -1));
  section('## Flaky Tests (intermittent pass/fail)', byRate(report.flaky, 1));
  lines.push(
    '## Summary',
    `  Regressions:  ${report.regressions.length}`,
    `  Improvements: ${report.improvements.length}`,
    `  Flaky:        ${report.flaky.length}`,
    `  Stable pass:  ${report.stable_pass.length}`,
    `  Stable fail:  ${report.stable_fail.length}`,
  );
  return lines.join('\n') + '\n';
}

export function gptmeDiffTable(diffs: Record<string, GptmeModelDiff>): string {
  const lines: string[] = [];
  for (const [model, d] of Object.entries(diffs)) {
    lines.push(`## ${model}`, `  Comparing: ${d.prev_run} → ${d.latest_run}`);
    if (d.gained.length) lines.push(`  + Gained (${d.gained.length}):`, ...d.gained.map((t) => `    + ${t}`));
    if (d.lost.length) lines.push(`  - Lost (${d.lost.length}):`, ...d.lost.map((t) => `    - ${t}`));
    if (d.new_tests.length) {
      lines.push(`  * New tests (${d.new_tests.length}):`, ...d.new_tests.map((t) => `    * ${t.test} (${t.passed ? 'PASS' : 'FAIL'})`));
    }
    if (d.removed_tests.length) lines.push(`  x Removed (${d.removed_tests.length}):`, ...d.removed_tests.map((t) => `    x ${t}`));
    lines.push(`  Unchanged: ${d.unchanged_pass} pass, ${d.unchanged_fail} fail`, '');
  }
  return lines.length ? lines.join('\n') + '\n' : 'No comparable runs found.\n';
}

type ShownTrendEntry = StatisticalTrendEntry & { q_regression?: number | null; q_improvement?: number | null; mde_regression?: number | null };

/** The order of the statistical table's sections: what needs a look first. */
const LABEL_ORDER = ['regression', 'improvement', 'flaky', 'insufficient', 'stable_fail', 'stable_pass'];

/**
 * The statistical trends as one section per label (regressions first), each a table. p-value and q-value
 * columns say what they are: a stable series shows p-values near 1, which are not probabilities of a drop.
 */
export function statisticalTrendsTable(entries: readonly ShownTrendEntry[]): string {
  if (entries.length === 0) return 'No trends.\n';
  const labels = [...new Set(entries.map((e) => e.label))].sort((a, b) => rank(a) - rank(b));
  return labels
    .map((label) => {
      const rows = entries.filter((e) => e.label === label);
      return `## ${label} (${rows.length})\n${trendRows(rows)}`;
    })
    .join('\n');
}

const rank = (label: string) => (LABEL_ORDER.includes(label) ? LABEL_ORDER.indexOf(label) : LABEL_ORDER.length);

function trendRows(entries: readonly ShownTrendEntry[]): string {
  const p = (x: number | null) => (x === null ? '-' : x < 0.001 ? x.toExponential(1) : x.toFixed(3));
  const rate = (x: number | null) => (x === null ? '-' : pct(x, 0));
  return table(
    ['Model', 'Format', 'Test', 'Runs', 'Baseline', 'Recent', 'p-value drop', 'p-value rise', 'q-value drop', 'q-value rise', 'MDE drop', 'Flips', 'Entropy', 'Infra'],
    entries.map((e) => [
      e.model,
      e.format,
      e.test,
      e.runs,
      `${e.baseline.passes}/${e.baseline.attempts} ${rate(e.baseline.pass_rate)}`,
      `${e.recent.passes}/${e.recent.attempts} ${rate(e.recent.pass_rate)}`,
      p(e.p_regression),
      p(e.p_improvement),
      p(e.q_regression ?? null),
      p(e.q_improvement ?? null),
      mde(e.mde_regression ?? null),
      e.flip_rate.toFixed(2),
      e.entropy.toFixed(2),
      e.infra_errors,
    ]),
  );
}

/** A minimum detectable drop in points; `none` when no drop is detectable with the data at hand. */
function mde(x: number | null): string {
  return x === null ? 'none' : pct(x, 0);
}

/** `trends --pooled`: one line per model pool, then per test pool. */
export function pooledTrendsTable(pools: readonly PooledTrendEntry[]): string {
  const p = (x: number | null) => (x === null ? '-' : x < 0.001 ? x.toExponential(1) : x.toFixed(3));
  const rate = (x: number | null) => (x === null ? '-' : pct(x, 1));
  return table(
    ['Pool', 'Model', 'Format', 'Test', 'Strata', 'Baseline', 'Recent', 'Difference', 'p(drop)', 'q(drop)', 'Regression', 'MDE'],
    pools.map((e) => [
      e.pool,
      e.model ?? '-',
      e.format ?? '-',
      e.test ?? '-',
      e.strata,
      `${e.baseline.passes}/${e.baseline.attempts} ${rate(e.baseline.pass_rate)}`,
      `${e.recent.passes}/${e.recent.attempts} ${rate(e.recent.pass_rate)}`,
      e.difference === null ? '-' : `${(100 * e.difference).toFixed(1)} pts`,
      p(e.p_regression),
      p(e.q_regression),
      e.regression ? 'yes' : 'no',
      mde(e.mde_regression),
    ]),
  );
}
