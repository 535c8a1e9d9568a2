/**
 * The trend statistics' calibration on the generator's A/A and power worlds (bench/gen-history/calibration-world)
 * at CI size, replayed through the real pure code (classify, correct, pool): 60 days x 40 models x 99 tests,
 * 3 seeds, 4 models a run. What the issue asks to show; `npm run bench:calibration` prints the full-scale tables.
 */
import { DEFAULT_TRENDS_FDR_RULES } from '../../projections/eval/trends-false-discovery.js';
import { DEFAULT_STATISTICAL_RULES } from '../../projections/eval/trends.js';
import { aaFigures, powerFigures, type AaRow, type PowerFigures } from '../../bench/gen-history/calibration-world/figures.js';
import { defaultPowerPlan, plantDrops } from '../../bench/gen-history/calibration-world/plants.js';
import { aaWorld, calibrationWorld, plantedDrop } from '../../bench/gen-history/calibration-world/world.js';

const SHAPE = { models: 40, tests: 99, days: 60, modelsPerRun: 4 };
const SEEDS = [1, 2, 3];
const rules = DEFAULT_STATISTICAL_RULES;
const fdr = DEFAULT_TRENDS_FDR_RULES; // BH at q = 0.05, one run's series a family
const plan = defaultPowerPlan(SHAPE.models, SHAPE.tests, SHAPE.days);

describe('A/A world: stationary, no effect anywhere', () => {
  let rows: AaRow[];
  beforeAll(() => {
    // From the first day with full windows: 41 days x 10 runs x 3 seeds = 1,230 series families.
    rows = aaFigures(SEEDS.map((seed) => aaWorld({ seed, ...SHAPE })), rules, fdr, rules.window - 1);
    console.log(JSON.stringify(rows));
  });

  it('is seeded and stationary: the same seed gives the same outcomes, and no drop is planted', () => {
    const a = aaWorld({ seed: 7, models: 3, tests: 5, days: 4, modelsPerRun: 2 });
    const b = aaWorld({ seed: 7, models: 3, tests: 5, days: 4, modelsPerRun: 2 });
    const c = aaWorld({ seed: 8, models: 3, tests: 5, days: 4, modelsPerRun: 2 });
    expect(a.runs.map((r) => [...r.passed])).toEqual(b.runs.map((r) => [...r.passed]));
    expect(a.runs.map((r) => [...r.passed])).not.toEqual(c.runs.map((r) => [...r.passed]));
    expect(a.runs).toHaveLength(4 * 2);
    expect(a.options.drops).toEqual([]);
  });

  it('with BH at q = 0.05, flags a regression in at most 5% + 2 SE of >= 1,000 series families; uncorrected, in most', () => {
    const series = rows.find((r) => r.kind === 'series')!;
    expect(series.corrected.of).toBeGreaterThanOrEqual(1000);
    expect(series.corrected.share).toBeLessThanOrEqual(0.05 + 2 * series.corrected.se);
    // The uncorrected rule (p < alpha) on the same families: the table's other column.
    expect(series.uncorrected.share).toBeGreaterThan(0.5);
    expect(series.flagsUncorrected).toBeGreaterThan(10 * Math.max(1, series.flagsCorrected));
  });

  it('keeps the model and test pools within 5% + 2 SE of their families too', () => {
    for (const kind of ['model pools', 'test pools'] as const) {
      const row = rows.find((r) => r.kind === kind)!;
      expect(row.corrected.of).toBeGreaterThan(100);
      expect(row.corrected.share).toBeLessThanOrEqual(0.05 + 2 * row.corrected.se);
    }
  });
});

describe('power world: planted sustained drops with ground truth', () => {
  let figures: PowerFigures;
  beforeAll(() => {
    const worlds = SEEDS.map((seed) =>
      calibrationWorld({ seed, ...SHAPE, drops: plantDrops(seed, SHAPE.models, SHAPE.tests, plan) }),
    );
    // From the day before the first drop can start: every MDE is read there or later.
    figures = powerFigures(worlds, rules, fdr, plan.firstDay - 1);
    console.log(JSON.stringify(figures));
  });

  it('plants drops from their day on, on their series, clipped at 0', () => {
    const drops = [{ scope: 'model' as const, model: 1, fromDay: 3, drop: 0.15 }, { scope: 'series' as const, model: 1, test: 2, fromDay: 5, drop: 0.3 }];
    expect(plantedDrop(drops, 1, 2, 2)).toBe(0);
    expect(plantedDrop(drops, 1, 0, 3)).toBe(0.15);
    expect(plantedDrop(drops, 1, 2, 5)).toBeCloseTo(0.45, 12);
    expect(plantedDrop(drops, 0, 2, 9)).toBe(0);
  });

  it('keeps the mean false discovery proportion over families at most q + 2 SE', () => {
    for (const row of Object.values(figures.fdp)) expect(row.mean).toBeLessThanOrEqual(0.05 + 2 * row.se);
    expect(figures.fdp.all.flags).toBeGreaterThan(100); // the drops are found: the bound is not met by flagging nothing
  });

  it('flags >= 75% of the drops at least their reported MDE by the run the MDE named', () => {
    expect(figures.mde.all.of).toBeGreaterThanOrEqual(30);
    expect(figures.mde.all.share).toBeGreaterThanOrEqual(0.75);
  });

  it('finds >= 80% of the model-wide 15-point drops within 3 runs, in the corrected model-pool family', () => {
    expect(figures.modelWithin3.of).toBeGreaterThanOrEqual(30);
    expect(figures.modelWithin3.share).toBeGreaterThanOrEqual(0.8);
  });
});
