/** The small planted world the experiment specs share, and its folds through the pure projections. */
import { plantedWorld, type PlantedSlot } from '../../bench/reanalyze/planted-world.js';
import { changeTimeline, timelineOf, type ChangeTimelineDoc } from '../../projections/domain-changes/change-timeline.js';
import { bucketsOf, experimentOutcomes, type OutcomeDayDoc } from '../../projections/experiments/experiment-outcomes.js';
import { foldDocuments, type DocumentSlot } from '../../projections/machinery/documents.js';
import { recordedEvents } from '../../projections/machinery/testing.js';
import { indexBuckets, type BucketIndex } from '../../projections/experiments/window-tallies.js';
import type { TimelineChange } from '../../projections/domain-changes/change-timeline.js';

/**
 * Slots 150 h apart; what is placed near each is the point of the slot. Anything placed within the window
 * confounds the change; a model-API change touches one model of four (the estimate stands on the other three),
 * a harness bump (a commit on every model's runs) or another lesson change touches every model.
 */
export const PLANTED_SLOTS: PlantedSlot[] = [
  { action: 'create', lesson: 0, effect: 0.3 }, // isolated, positive
  { action: 'create', lesson: 1, effect: -0.3 }, // isolated, negative
  { action: 'create', lesson: 2, effect: 0.3, modelApiAt: { hours: 6, model: 1, shift: -0.15 } }, // confounded at 24 h (model b0)
  { action: 'create', lesson: 3, effect: 0.3, modelApiAt: { hours: 48, model: 2, shift: 0.1 } }, // confounded at 72 h (model c0)
  { action: 'edit', lesson: 0, effect: -0.3 }, // isolated edit, negative
  { action: 'create', lesson: 4, effect: 0.3, harnessBumpAt: -10 }, // confounded by the harness commits
  { action: 'create', lesson: 5, effect: -0.3, modelApiAt: { hours: -40, model: 3, shift: -0.1 } }, // confounded at 72 h (model d0)
  { action: 'create', lesson: 6, effect: 0.35 }, // isolated, positive
  { action: 'edit', lesson: 1, effect: 0.3 }, // isolated edit, positive
  { action: 'create', lesson: 7, effect: 0.3, companionLessonAt: 3 }, // two lesson changes 3 h apart: confounded
  { action: 'create', lesson: 8, effect: 0.02 }, // isolated, effect below the stated size
  { action: 'create', lesson: 9, effect: 0.3, companionLessonAt: 50 }, // confounded at 72 h by another lesson
  { action: 'edit', lesson: 2, effect: -0.3, harnessBumpAt: -40 }, // confounded at 72 h by the harness commits
];

export function smallPlantedWorld() {
  return plantedWorld({
    seed: 8,
    models: 4,
    testsPerLesson: 3,
    controlTests: 8,
    flakyTests: 2,
    runEveryHours: 4,
    slotGapHours: 150,
    slots: PLANTED_SLOTS,
    windows: [24, 72],
  });
}

/** The timeline and buckets the engine would hold, folded in memory in one batch. */
export function foldWorld(events: Parameters<typeof recordedEvents>[0]): { timeline: TimelineChange[]; buckets: BucketIndex } {
  const recorded = recordedEvents(events);
  const docs = new Map<string, DocumentSlot<ChangeTimelineDoc>>();
  foldDocuments(changeTimeline, {}, recorded.filter((e) => changeTimeline.eventTypes.includes(e.type)), docs);
  const days = new Map<string, DocumentSlot<OutcomeDayDoc>>();
  foldDocuments(experimentOutcomes, {}, recorded.filter((e) => e.type === 'TestOutcomeRecorded'), days);
  const timeline = timelineOf([...docs.values()].filter((d): d is ChangeTimelineDoc => !!d));
  return { timeline, buckets: indexBuckets(bucketsOf([...days.values()].filter((d): d is OutcomeDayDoc => !!d))) };
}
