/**
 * Calibration worlds for the trend statistics, in memory and seeded (same options, same outcomes):
 * - A/A (`drops: []`): every (model, test) passes with a fixed probability on every day, no trends, no
 *   incidents, no outages, no infra errors; every regression flagged in it is false.
 * - power: the same, plus planted sustained drops (`PlantedDrop`) on one series, on a whole model (every test
 *   it runs) or on a whole test (every model), from a chosen day to the end; the ground truth is the drop each
 *   series carries on each day.
 * One run per group of `modelsPerRun` models per day, one outcome per (model, test, run), as gptme runs them.
 * Model skills and test difficulties come from the history generator's catalogue (same seed, same names).
 */
import { simulatedModels, simulatedTests } from '../catalog.js';
import { forkRandom } from '../random.js';
import { passProbability } from '../simulate.js';

export interface PlantedDrop {
  /** `series`: one (model, test); `model`: every test of the model; `test`: every model on the test. */
  scope: 'series' | 'model' | 'test';
  /** Model index (series, model). */
  model?: number;
  /** Test index (series, test). */
  test?: number;
  /** First day whose runs carry the drop; it lasts to the end. */
  fromDay: number;
  /** Absolute pass-probability drop (0.15 = 15 points); a probability never goes below 0. */
  drop: number;
}

export interface CalibrationWorldOptions {
  seed: number;
  models: number;
  tests: number;
  days: number;
  modelsPerRun: number;
  drops: readonly PlantedDrop[];
}

export interface CalibrationRun {
  runId: string;
  day: number;
  /** ISO time of the run. */
  at: string;
  /** Model indices in this run. */
  models: number[];
  /** passed[i * tests + t]: 1 when model `models[i]` passed test t. */
  passed: Uint8Array;
}

export interface CalibrationWorld {
  options: CalibrationWorldOptions;
  models: string[];
  tests: string[];
  /** Suite of each test (`practicalN`, three tests a suite, as the history generator names them). */
  suites: string[];
  /** Stationary pass probability of (model m, test t) at index m * tests + t, before any drop. */
  baseRate: Float64Array;
  /** Chronological: day by day, groups in order. */
  runs: CalibrationRun[];
}

export const DAY_MS = 86_400_000;
const FIRST_DAY = Date.parse('2026-01-01T00:00:00Z');

/** The A/A world: stationary, no effect anywhere. */
export function aaWorld(options: Omit<CalibrationWorldOptions, 'drops'>): CalibrationWorld {
  return calibrationWorld({ ...options, drops: [] });
}

export function calibrationWorld(options: CalibrationWorldOptions): CalibrationWorld {
  const { seed, days, modelsPerRun } = options;
  const catalogueModels = simulatedModels(options.models, seed);
  const catalogueTests = simulatedTests(options.tests, seed);
  const T = catalogueTests.length;
  const baseRate = new Float64Array(catalogueModels.length * T);
  catalogueModels.forEach((model, m) => {
    // Stationary: the catalogue's trend and incident left out.
    const still = { ...model, trendPerYear: 0, incident: undefined };
    catalogueTests.forEach((test, t) => (baseRate[m * T + t] = passProbability(still, test, 0)));
  });
  const runs: CalibrationRun[] = [];
  for (let day = 0; day < days; day++) {
    for (let first = 0, g = 0; first < catalogueModels.length; first += modelsPerRun, g++) {
      const models = Array.from({ length: Math.min(modelsPerRun, catalogueModels.length - first) }, (_, i) => first + i);
      const random = forkRandom(seed, 'calibration-run', day, g);
      const passed = new Uint8Array(models.length * T);
      models.forEach((m, i) => {
        for (let t = 0; t < T; t++) {
          passed[i * T + t] = random.next() < Math.max(0, baseRate[m * T + t]! - plantedDrop(options.drops, m, t, day)) ? 1 : 0;
        }
      });
      const at = new Date(FIRST_DAY + day * DAY_MS + 2 * 3_600_000 + g * 600_000).toISOString();
      runs.push({ runId: `cal-${seed}-d${day}-g${g}`, day, at, models, passed });
    }
  }
  return {
    options,
    models: catalogueModels.map((m) => m.name),
    tests: catalogueTests.map((t) => t.name),
    suites: catalogueTests.map((t) => t.suite),
    baseRate,
    runs,
  };
}

/** The total planted drop on (model, test) on `day` (0 when none has started); the ground truth. */
export function plantedDrop(drops: readonly PlantedDrop[], model: number, test: number, day: number): number {
  let total = 0;
  for (const d of drops) {
    if (day < d.fromDay) continue;
    if ((d.scope === 'series' && d.model === model && d.test === test) || (d.scope === 'model' && d.model === model) || (d.scope === 'test' && d.test === test)) {
      total += d.drop;
    }
  }
  return total;
}

/** One outcome of the world, for replays through other code (importers, the CI gate). */
export interface WorldOutcome {
  runId: string;
  day: number;
  at: string;
  model: string;
  test: string;
  suite: string;
  passed: boolean;
}

/** Every outcome in run order, then model, then test (the order gptme writes rows). */
export function* worldOutcomes(world: CalibrationWorld): Generator<WorldOutcome> {
  const T = world.tests.length;
  for (const run of world.runs) {
    for (const [i, m] of run.models.entries()) {
      for (let t = 0; t < T; t++) {
        yield { runId: run.runId, day: run.day, at: run.at, model: world.models[m]!, test: world.tests[t]!, suite: world.suites[t]!, passed: run.passed[i * T + t] === 1 };
      }
    }
  }
}
