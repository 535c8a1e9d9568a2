/**
 * Every q value is reproducible from the events: a power world's outcomes as TestOutcomeRecorded events, folded
 * by the `trends` projection (given() also folds them one by one and in batches of 3, and requires the same
 * documents), then classified, corrected and pooled, give exactly the labels, p, q and MDE values of the
 * world's own day-by-day replay; so do the same events arriving in another order.
 */
import { given } from '../../projections/machinery/testing.js';
import { trends, DEFAULT_STATISTICAL_RULES, type StatSeriesDoc } from '../../projections/eval/trends.js';
import { correctTrendLabels, DEFAULT_TRENDS_FDR_RULES, type CorrectedTrendEntry } from '../../projections/eval/trends-false-discovery.js';
import { pooledTrends, type PooledTrendEntry } from '../../projections/eval/trends-pooled.js';
import { classifyStatSeries } from '../../projections/eval/trends-statistical.js';
import { replayTrends, type DaySnapshot } from '../../bench/gen-history/calibration-world/replay.js';
import { calibrationWorld, worldOutcomes } from '../../bench/gen-history/calibration-world/world.js';
import { forkRandom } from '../../bench/gen-history/random.js';
import { outcome } from '../eval-read-models/support/outcomes.js';

const rules = DEFAULT_STATISTICAL_RULES;
const world = calibrationWorld({
  seed: 5,
  models: 6,
  tests: 12,
  days: 30,
  modelsPerRun: 3,
  drops: [
    { scope: 'model', model: 1, fromDay: 26, drop: 0.3 },
    { scope: 'test', test: 4, fromDay: 25, drop: 0.4 },
    { scope: 'series', model: 3, test: 7, fromDay: 27, drop: 0.9 },
  ],
});
const events = [...worldOutcomes(world)].map((o) => outcome({ run: o.runId, at: o.at, raw: `${o.model}@tool`, test: o.test, suite: o.suite, passed: o.passed }));

function fromEvents(list: typeof events, fdr = DEFAULT_TRENDS_FDR_RULES) {
  const docs = Object.values(given(trends, list).documents).filter((d): d is StatSeriesDoc => d.kind === 'stat');
  const entries = correctTrendLabels(docs.map((d) => classifyStatSeries(d, rules)), rules, fdr);
  return { entries: sortEntries(entries), pooled: pooledTrends(entries, rules, fdr) };
}

const sortEntries = (list: CorrectedTrendEntry[]) => [...list].sort((a, b) => (a.model + '\u0000' + a.test < b.model + '\u0000' + b.test ? -1 : 1));
const sortPools = (list: PooledTrendEntry[]) => [...list].sort((a, b) => ((a.model ?? a.test)! < (b.model ?? b.test)! ? -1 : 1));

function lastSnapshot(fdr = DEFAULT_TRENDS_FDR_RULES): DaySnapshot {
  let last: DaySnapshot | undefined;
  replayTrends(world, { rules, fdr, fromDay: world.options.days - 1 }, (s) => (last = s));
  return last!;
}

describe('q values from the events', () => {
  it("the projection folded from the events gives the replay's labels, p, q and MDE, per series and per pool", () => {
    const built = fromEvents(events);
    const replayed = lastSnapshot();
    expect(built.entries.length).toBe(6 * 12);
    expect(built.entries).toEqual(sortEntries(replayed.entries));
    expect(sortPools(built.pooled.models)).toEqual(sortPools(replayed.pooled.models));
    expect(sortPools(built.pooled.tests)).toEqual(sortPools(replayed.pooled.tests));
    // Not vacuous: there are q values, and the planted model-wide drop is flagged in its corrected family.
    expect(built.entries.filter((e) => e.q_regression !== null).length).toBe(6 * 12);
    expect(built.pooled.models.find((p) => p.model === world.models[1])).toMatchObject({ regression: true });
  });

  it('the same events in another order give the same q values (late events are placed by event time)', () => {
    const random = forkRandom(9, 'shuffle');
    const shuffled = [...events];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = random.int(0, i);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const inOrder = fromEvents(events, { ...DEFAULT_TRENDS_FDR_RULES, fdrMethod: 'by', fdrFamily: 'all' });
    const outOfOrder = fromEvents(shuffled, { ...DEFAULT_TRENDS_FDR_RULES, fdrMethod: 'by', fdrFamily: 'all' });
    expect(outOfOrder.entries.map((e) => [e.q_regression, e.q_improvement, e.mde_regression])).toEqual(inOrder.entries.map((e) => [e.q_regression, e.q_improvement, e.mde_regression]));
    expect(sortPools(outOfOrder.pooled.models)).toEqual(sortPools(inOrder.pooled.models));
  });
});
