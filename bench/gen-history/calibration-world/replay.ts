/**
 * Replays a calibration world day by day through the statistical trends' own pure code: each (model, test)
 * keeps the `window` latest runs as the `trends` projection's `stat` documents do, and after each day every
 * series is classified (classifyStatSeries), corrected (correctTrendLabels) and pooled (pooledTrends) as
 * `GET /trends` and `GET /trends/pooled` would answer at that moment. In memory, no store.
 */
import { correctTrendLabels, type CorrectedTrendEntry, type TrendsFdrRules } from '../../../projections/eval/trends-false-discovery.js';
import { pooledTrends, type PooledTrends } from '../../../projections/eval/trends-pooled.js';
import { classifyStatSeries } from '../../../projections/eval/trends-statistical.js';
import type { RunAttempts, StatisticalRules, StatSeriesDoc } from '../../../projections/eval/trends.js';
import type { CalibrationWorld } from './world.js';

export const WORLD_FORMAT = 'tool';

export interface DaySnapshot {
  day: number;
  /** Every series with a run so far; `series[i]` is entry i's index model * tests + test. */
  entries: CorrectedTrendEntry[];
  series: number[];
  pooled: PooledTrends;
}

export interface ReplayOptions {
  rules: StatisticalRules;
  fdr: TrendsFdrRules;
  /** The first day a snapshot is taken (earlier days only fill the windows). */
  fromDay: number;
  /** Whether to compute the pooled tests (they cost little, but an A/A of series alone can skip them). */
  pooled?: boolean;
}

export function replayTrends(world: CalibrationWorld, options: ReplayOptions, onDay: (snapshot: DaySnapshot) => void): void {
  const { rules, fdr } = options;
  const T = world.tests.length;
  const docs = new Array<StatSeriesDoc | undefined>(world.models.length * T);
  let r = 0;
  while (r < world.runs.length) {
    const day = world.runs[r]!.day;
    for (; r < world.runs.length && world.runs[r]!.day === day; r++) {
      const run = world.runs[r]!;
      for (const [i, m] of run.models.entries()) {
        for (let t = 0; t < T; t++) {
          const key = m * T + t;
          const doc = (docs[key] ??= { kind: 'stat', model: world.models[m]!, format: WORLD_FORMAT, test: world.tests[t]!, infraErrors: 0, runs: [], droppedUpTo: '' });
          const c = run.passed[i * T + t]!;
          const attempt: RunAttempts = { at: `${run.at}|${run.runId}`, runId: run.runId, n: 1, c, time: run.at };
          // Runs arrive in order: newest first, the oldest dropped past the window (as evolveStatSeries keeps them).
          doc.runs = [attempt, ...doc.runs].slice(0, rules.window);
        }
      }
    }
    if (day < options.fromDay) continue;
    const series: number[] = [];
    const classified = [];
    for (let key = 0; key < docs.length; key++) {
      const doc = docs[key];
      if (!doc) continue;
      series.push(key);
      classified.push(classifyStatSeries(doc, rules));
    }
    const entries = correctTrendLabels(classified, rules, fdr);
    const pooled = options.pooled === false ? { models: [], tests: [] } : pooledTrends(entries, rules, fdr);
    onDay({ day, entries, series, pooled });
  }
}
