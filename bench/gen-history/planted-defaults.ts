/**
 * The planted world `gen:history --planted` writes: eight lesson changes 150 h apart, each with what is placed
 * near it on purpose (see the comments), three models, runs every 6 h. Small enough to import in seconds.
 */
import type { PlantedWorldOptions } from '../reanalyze/planted-world.js';

export const DEFAULT_PLANTED_WORLD: PlantedWorldOptions = {
  seed: 11,
  models: 3,
  testsPerLesson: 2,
  controlTests: 3,
  flakyTests: 1,
  runEveryHours: 6,
  slotGapHours: 150,
  windows: [24, 72],
  slots: [
    { action: 'create', lesson: 0, effect: 0.35 }, // isolated, positive
    { action: 'create', lesson: 1, effect: -0.35 }, // isolated, negative
    { action: 'create', lesson: 2, effect: 0.35, modelApiAt: { hours: 6, model: 1, shift: -0.15 } }, // confounded by b0's model-API change; estimate over a0 and c0
    { action: 'create', lesson: 3, effect: 0.3, companionLessonAt: 3 }, // another lesson 3 h later: confounded
    { action: 'create', lesson: 4, effect: 0.3, harnessBumpAt: -10 }, // a harness commit on every model: confounded
    { action: 'create', lesson: 5, effect: -0.35, companionLessonAt: 50 }, // confounded from a 50 h window on
    { action: 'edit', lesson: 0, effect: -0.35, modelApiAt: { hours: 40, model: 2, shift: 0.1 } }, // confounded by c0's model-API change from a 40 h window on
    { action: 'edit', lesson: 1, effect: 0.35, harnessBumpAt: 30 }, // confounded from a 36 h window on
  ],
};
