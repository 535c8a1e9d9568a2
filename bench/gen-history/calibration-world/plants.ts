/**
 * Where the power world plants its drops: single series of chosen sizes, whole models (every test, the
 * model-wide drops the pooled model test is for) and whole tests (every model). Each starts on a seeded day
 * late enough that the window before it is clean, and early enough that the recent runs after it exist.
 */
import { forkRandom } from '../random.js';
import type { PlantedDrop } from './world.js';

export interface PowerPlan {
  /** Sizes of single-series drops, each planted on `seriesPerSize` distinct (model, test) pairs. */
  seriesSizes: number[];
  seriesPerSize: number;
  /** Model-wide drop size and how many models carry one. */
  modelDrop: number;
  droppedModels: number;
  /** Test-wide drop size and how many tests carry one. */
  testDrop: number;
  droppedTests: number;
  /** Drops start between these days (inclusive). */
  firstDay: number;
  lastDay: number;
}

/** Sizes in steps of the issue: a 15-point model-wide drop; single series from 30 to 90 points. */
export function defaultPowerPlan(models: number, tests: number, days: number): PowerPlan {
  return {
    seriesSizes: [0.3, 0.5, 0.7, 0.9],
    seriesPerSize: Math.max(1, Math.round((models * tests) / 400)),
    modelDrop: 0.15,
    droppedModels: Math.max(1, Math.round(models / 4)),
    testDrop: 0.2,
    droppedTests: Math.max(1, Math.round(tests / 20)),
    firstDay: 25,
    lastDay: Math.max(25, days - 6),
  };
}

export function plantDrops(seed: number, models: number, tests: number, plan: PowerPlan): PlantedDrop[] {
  const random = forkRandom(seed, 'calibration-plants');
  const day = () => random.int(plan.firstDay, plan.lastDay);
  const drops: PlantedDrop[] = [];
  const taken = new Set<number>();
  for (const drop of plan.seriesSizes) {
    for (let k = 0; k < plan.seriesPerSize && taken.size < models * tests; k++) {
      let key: number;
      do key = random.int(0, models * tests - 1);
      while (taken.has(key));
      taken.add(key);
      drops.push({ scope: 'series', model: Math.floor(key / tests), test: key % tests, fromDay: day(), drop });
    }
  }
  for (const m of distinct(random, models, plan.droppedModels)) drops.push({ scope: 'model', model: m, fromDay: day(), drop: plan.modelDrop });
  for (const t of distinct(random, tests, plan.droppedTests)) drops.push({ scope: 'test', test: t, fromDay: day(), drop: plan.testDrop });
  return drops;
}

function distinct(random: ReturnType<typeof forkRandom>, size: number, count: number): number[] {
  const order = Array.from({ length: size }, (_, i) => i);
  for (let i = size - 1; i > 0; i--) {
    const j = random.int(0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order.slice(0, Math.min(count, size)).sort((a, b) => a - b);
}
