/**
 * Trends on hand-made series. Expected labels and numbers are worked out by hand from gptme's published rules
 * (PROVENANCE.md / the issue) and, for the statistical rules, from the Fisher test by hand.
 */
import { given, type GivenEvent } from '../../projections/machinery/testing.js';
import { trends, DEFAULT_STATISTICAL_RULES, type GptmeSeriesDoc, type StatSeriesDoc } from '../../projections/eval/trends.js';
import {
  gptmeDiff,
  gptmeTrendsReport,
  summariesFromDocs,
  summariesFromPoints,
  type GptmeOutcomePoint,
} from '../../projections/eval/trends-gptme.js';
import { classifyStatSeries } from '../../projections/eval/trends-statistical.js';
import { outcome, run, series } from './support/outcomes.js';

const fixture: GivenEvent[] = [
  ...series('m/a@tool', 't1', 'PPPF'), // 4 runs, 0.75: flaky is checked first (not a regression)
  ...series('m/a@tool', 't2', 'PF'), // regression, 0.5
  ...series('m/a@tool', 't3', 'FP'), // improvement, 0.5
  ...series('m/a@tool', 't4', 'PPP'), // stable pass, 1
  ...series('m/a@tool', 't5', 'F'), // one run: left out
  ...series('m/a@tool', 't6', 'FFFFFFFFFFP'), // 11 runs, 1/11 = 0.0909 <= 0.1: not flaky -> improvement
  ...series('m/b', 't1', 'FF'), // no format: key is the bare model; stable fail
  ...series('x/glm@z-ai', 't1', 'FFFP'), // 4 runs, 0.25: flaky; gptme key keeps the raw string
];

function gptmeDocs(events: GivenEvent[]): GptmeSeriesDoc[] {
  return Object.values(given(trends, events).documents).filter((d): d is GptmeSeriesDoc => d.kind === 'gptme');
}

describe('trends, gptme rules (hand-worked)', () => {
  const report = gptmeTrendsReport(summariesFromDocs(gptmeDocs(fixture)));
  const names = (list: { model: string; test: string }[]) => list.map((e) => `${e.model} ${e.test}`);

  it('labels every series with at least two runs, flaky first', () => {
    expect(names(report.flaky)).toEqual(['m/a@tool t1', 'x/glm@z-ai t1']);
    expect(names(report.regressions)).toEqual(['m/a@tool t2']);
    expect(names(report.improvements)).toEqual(['m/a@tool t3', 'm/a@tool t6']);
    expect(names(report.stable_pass)).toEqual(['m/a@tool t4']);
    expect(names(report.stable_fail)).toEqual(['m/b t1']);
  });

  it('entries carry runs, latest/previous results and the rate rounded to 3 decimals', () => {
    expect(report.improvements[1]).toEqual({
      model: 'm/a@tool',
      test: 't6',
      latest_passed: true,
      previous_passed: false,
      latest_run: run(11),
      previous_run: run(10),
      pass_rate: 0.091,
      total_runs: 11,
    });
    expect(report.flaky[0]).toMatchObject({ latest_run: run(4), previous_run: run(3), pass_rate: 0.75, total_runs: 4 });
  });

  it('--model filters by case-insensitive substring of model@format', () => {
    const only = gptmeTrendsReport(summariesFromDocs(gptmeDocs(fixture)), { model: 'GLM' });
    expect(names(only.flaky)).toEqual(['x/glm@z-ai t1']);
    expect(only.regressions).toEqual([]);
  });

  const points: GptmeOutcomePoint[] = fixture.map((e, i) => {
    const d = e.data as { rawModel: string; test: string; runId: string; passed: boolean };
    return { modelKey: d.rawModel, test: d.test, runId: d.runId, passed: d.passed, orderKey: `${d.runId}|${String(i).padStart(5, '0')}` };
  });

  it('the same report from raw outcomes as from the projection', () => {
    expect(gptmeTrendsReport(summariesFromPoints(points))).toEqual(report);
  });

  it('--last 2: t1 becomes P,F -> regression at 0.5 over 2 runs; t6 F,P improvement at 0.5', () => {
    const last2 = gptmeTrendsReport(summariesFromPoints(points, 2));
    expect(last2.regressions.map((e) => [e.test, e.pass_rate, e.total_runs])).toEqual([['t1', 0.5, 2], ['t2', 0.5, 2]]);
    expect(last2.flaky.map((e) => e.model)).toEqual([]); // 2 runs: never flaky
  });

  it('--diff: per model, tests gained / lost / new / removed between its last two runs', () => {
    const extra: GptmeOutcomePoint[] = [
      { modelKey: 'n@xml', test: 'a', runId: run(1), passed: false, orderKey: '1' },
      { modelKey: 'n@xml', test: 'b', runId: run(1), passed: true, orderKey: '2' },
      { modelKey: 'n@xml', test: 'c', runId: run(1), passed: true, orderKey: '3' },
      { modelKey: 'n@xml', test: 'gone', runId: run(1), passed: true, orderKey: '4' },
      { modelKey: 'n@xml', test: 'a', runId: run(2), passed: true, orderKey: '5' },
      { modelKey: 'n@xml', test: 'b', runId: run(2), passed: false, orderKey: '6' },
      { modelKey: 'n@xml', test: 'c', runId: run(2), passed: false, orderKey: '7' },
      { modelKey: 'n@xml', test: 'c', runId: run(2), passed: true, orderKey: '8' }, // last row in the run wins
      { modelKey: 'n@xml', test: 'new', runId: run(2), passed: false, orderKey: '9' },
    ];
    expect(gptmeDiff(extra)).toEqual({
      'n@xml': {
        latest_run: run(2),
        prev_run: run(1),
        gained: ['a'],
        lost: ['b'],
        unchanged_pass: 1,
        unchanged_fail: 0,
        new_tests: [{ test: 'new', passed: false }],
        removed_tests: ['gone'],
      },
    });
    // m/a@tool's last two runs are 10 and 11, where only t6 ran (F then P): gained.
    expect(gptmeDiff(points, { model: 'm/a' })['m/a@tool']).toMatchObject({ latest_run: run(11), prev_run: run(10), gained: ['t6'] });
  });
});

describe('trends, statistical rules (hand-worked)', () => {
  const events = [
    ...series('s/m', 'drop', 'PPPPPPPPPPFFFFF', { format: 'tool' }), // 10 P then 5 F
    ...series('s/m', 'wobble', 'PFPFPFPFPF', { format: 'tool' }),
    ...series('s/m', 'young', 'PPP', { format: 'tool' }),
    ...series('s/m', 'infra', 'PPPPPP', { format: 'tool' }),
    outcome({ run: run(7), raw: 's/m', format: 'tool', test: 'infra', passed: false, infra: true }),
    outcome({ run: run(8), raw: 's/m', format: 'tool', test: 'infra', passed: false, infra: true }),
    ...series('s/m', 'rise', 'FFFFFFFFFFPPPPP', { format: 'tool' }),
  ];
  const docs = Object.values(given(trends, events).documents).filter((d): d is StatSeriesDoc => d.kind === 'stat');
  const entry = (test: string) => classifyStatSeries(docs.find((d) => d.test === test)!, DEFAULT_STATISTICAL_RULES);

  it('a drop from 10/10 to 0/5 is a regression with p = 1/C(15,5) = 1/3003', () => {
    const e = entry('drop');
    expect(e.label).toBe('regression');
    expect(e.p_regression).toBeCloseTo(1 / 3003, 12);
    expect(e.baseline).toEqual({ runs: 10, attempts: 10, passes: 10, pass_rate: 1 });
    expect(e.recent).toEqual({ runs: 5, attempts: 5, passes: 0, pass_rate: 0 });
    expect(e.flip_rate).toBeCloseTo(1 / 14, 12);
    expect(e).toMatchObject({ model: 's/m', format: 'tool', latest_run: run(15) });
  });

  it('the mirror is an improvement', () => {
    const e = entry('rise');
    expect(e.label).toBe('improvement');
    expect(e.p_improvement).toBeCloseTo(1 / 3003, 12);
  });

  it('alternating results: no significant change (recent 2/5 vs baseline 3/5), flip rate 1 and entropy 1: flaky', () => {
    const e = entry('wobble');
    // newest first: F P F P F | P F P F P -> recent passes 2, baseline passes 3
    expect(e.recent.passes).toBe(2);
    expect(e.baseline.passes).toBe(3);
    // P(X <= 2), X ~ Hypergeometric(10 items, 5 passes, 5 drawn) = (1 + 25 + 100) / 252 = 0.5
    expect(e.p_regression).toBeCloseTo(0.5, 12);
    expect(e.flip_rate).toBe(1);
    expect(e.entropy).toBeCloseTo(1, 12);
    expect(e.label).toBe('flaky');
  });

  it('fewer runs than minRuns: insufficient; infra errors are left out of the runs and counted', () => {
    expect(entry('young').label).toBe('insufficient');
    const infra = entry('infra');
    expect([infra.label, infra.runs, infra.infra_errors]).toEqual(['stable_pass', 6, 2]);
  });

  it('a rule set with a smaller window keeps only that many runs (the window is a projection rule)', () => {
    const small = given(trends, events, { ruleSet: { window: 6, recent: 3 } }).documents;
    const drop = Object.values(small).find((d): d is StatSeriesDoc => d.kind === 'stat' && d.test === 'drop')!;
    expect(drop.runs.map((r) => r.runId)).toEqual([15, 14, 13, 12, 11, 10].map(run));
    // baseline P F F? runs 10..12 = P, F, F -> 1/3 passes vs recent 0/3: p = P(X<=0) = C(1,0)C(5,3)/C(6,3) = 10/20 = 0.5
    const e = classifyStatSeries(drop, { ...DEFAULT_STATISTICAL_RULES, window: 6, recent: 3 });
    expect(e.p_regression).toBeCloseTo(0.5, 12);
    expect(e.label).toBe('stable_fail');
  });
});
