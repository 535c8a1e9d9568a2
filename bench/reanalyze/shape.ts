/** The benchmark world: a year, 40 models x 99 tests, one run a day, 150 lessons each created and edited once. */
import type { PlantedSlot, PlantedWorldOptions } from './planted-world.js';

export interface ReanalyzeShape {
  models: number;
  days: number;
  lessons: number;
  seed: number;
}

export const FULL_SHAPE: ReanalyzeShape = { models: 40, days: 365, lessons: 150, seed: 8 };

/** 99 tests: 30 topics x 2 tests matched by lessons, 35 control, 4 flaky; slots spread over the days. */
export function worldOptions(shape: ReanalyzeShape): PlantedWorldOptions {
  const slots: PlantedSlot[] = [];
  for (let l = 0; l < shape.lessons; l += 1) {
    slots.push({
      action: 'create',
      lesson: l,
      effect: l % 2 === 0 ? 0.1 : -0.1,
      ...(l % 10 === 3 ? { modelApiAt: { hours: 20, model: l % shape.models, shift: -0.05 } } : {}),
      ...(l % 25 === 7 ? { harnessBumpAt: -5 } : {}),
    });
  }
  for (let l = 0; l < shape.lessons; l += 1) slots.push({ action: 'edit', lesson: l, effect: l % 3 === 0 ? -0.05 : 0.05 });
  return {
    seed: shape.seed,
    models: shape.models,
    testsPerLesson: 2,
    topics: 30,
    controlTests: 35,
    flakyTests: 4,
    runEveryHours: 24,
    slotGapHours: Math.max(1, Math.floor((shape.days * 24) / (slots.length + 1))),
    slots,
    windows: [24, 48],
  };
}
