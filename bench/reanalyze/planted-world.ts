/**
 * A history with planted effects, for the experiment-window specs and the re-analysis benchmark: lessons
 * (with keywords naming the tests they affect) whose changes shift those tests' pass rate by a known amount,
 * model-API changes that shift one model's pass rate on every test (confounders), a harness bump, changes
 * placed close together on purpose, flaky tests. Returns the events in time order and the ground truth, taken
 * from the placement (not from the analysis' rule): each slot places its changes at known hours from the slot's
 * lesson change. For each confound window asked for, a lesson change's confounders are the other changes placed
 * within that many hours of it (any slot's); the models they touch are the model-API change's model, every model for a harness bump (a
 * commit on every model's runs) or another lesson change; the status is `confounded` when it has any confounder
 * (issue #8), else `insufficient-data` for a companion lesson (its keyword matches no test), else `isolated`.
 */
import { uuidV5, LESSONLOOP_NAMESPACE } from '../../contracts/event-id.js';
import type { NewEvent } from '../../contracts/envelope.js';
import { forkRandom } from '../gen-history/random.js';

export interface PlantedEvent extends NewEvent {
  streamId: string;
}

/** One planted lesson change, and what is placed around it. */
export interface PlantedSlot {
  /** `create` a new lesson, or `edit` the lesson created by slot `lesson`. */
  action: 'create' | 'edit';
  lesson: number;
  /** The true change of the pass probability of the lesson's tests (every model) from this change on. */
  effect: number;
  /** Hours from the change: a model-API change of `model` shifting it by `shift` on every test. */
  modelApiAt?: { hours: number; model: number; shift: number };
  /** Hours from the change: every model's next run uses a new harness commit. */
  harnessBumpAt?: number;
  /** Hours from the change: another (new) lesson is created, with no effect. */
  companionLessonAt?: number;
}

export interface PlantedWorldOptions {
  seed: number;
  models: number;
  /** Tests matched by each lesson (a lesson's keyword names them). */
  testsPerLesson: number;
  controlTests: number;
  flakyTests: number;
  runEveryHours: number;
  /** Hours between consecutive slots (the first slot is one gap after the start). */
  slotGapHours: number;
  slots: PlantedSlot[];
  /** Confound windows the ground truth lists confounders for. */
  windows: number[];
  start?: string;
  /** Lessons share keywords (and so tests) modulo this many topics; default: one topic per lesson. */
  topics?: number;
}

export interface TruthChange {
  changeId: string;
  lessonId: string;
  at: string;
  trueEffect: number;
  /** window hours -> the ids of the planted changes within that many hours (the expected confounders). */
  confoundersWithin: Record<number, string[]>;
  /** window hours -> the models those confounders touch, sorted. */
  confoundedModelsWithin: Record<number, string[]>;
  /**
   * window hours -> the expected status: confounded with any confounder; else every model has enough data in a
   * planted world, except for a companion lesson, which matches no test.
   */
  statusWithin: Record<number, 'isolated' | 'confounded' | 'insufficient-data'>;
  /** A companion lesson (no effect, its keyword matches no test). */
  matchesNoTest?: true;
}

export interface GroundTruth {
  lessonChanges: TruthChange[];
  /**
   * Every planted change (lesson, model-api, harness-commit per model) with its time, its subject (the lesson or
   * the model, as the change timeline names it) and the model it is about.
   */
  plantedChanges: { changeId: string; kind: string; at: string; subject: string; model?: string }[];
  models: string[];
  outcomes: number;
  tests: { affected: Record<string, string[]>; control: string[]; flaky: string[] };
}

const HOUR = 3_600_000;

export function lessonKeyword(lesson: number): string {
  return `topic${lesson}x`;
}

export function modelName(index: number): string {
  return `sim/model-${String.fromCharCode(97 + (index % 26))}${Math.floor(index / 26)}`;
}

export function plantedWorld(options: PlantedWorldOptions): { events: PlantedEvent[]; truth: GroundTruth } {
  const { events, truth } = plantedWorldStream(options);
  return { events: [...events], truth };
}

/** The same world as a stream of events (a year at 40 models x 99 tests does not fit in memory as objects). */
export function plantedWorldStream(options: PlantedWorldOptions): { events: Iterable<PlantedEvent>; truth: GroundTruth } {
  const start = Date.parse(options.start ?? '2026-01-01T00:00:00.000Z');
  const random = forkRandom(options.seed, 'planted-world');
  const models = Array.from({ length: options.models }, (_, i) => modelName(i));
  const lessonCount = Math.max(-1, ...options.slots.map((s) => s.lesson)) + 1;
  const affected: Record<string, string[]> = {};
  const testOwner = new Map<string, number>();
  const topicOf = (l: number) => (options.topics ? l % options.topics : l);
  const topicTests = new Map<number, string[]>();
  for (let l = 0; l < lessonCount; l += 1) {
    const topic = topicOf(l);
    if (!topicTests.has(topic)) {
      topicTests.set(topic, Array.from({ length: options.testsPerLesson }, (_, j) => `task-${lessonKeyword(topic)}-${j}`));
      for (const t of topicTests.get(topic)!) testOwner.set(t, topic);
    }
    affected[lessonId(l)] = topicTests.get(topic)!;
  }
  const control = Array.from({ length: options.controlTests }, (_, j) => `control-${j}`);
  const flaky = Array.from({ length: options.flakyTests }, (_, j) => `flaky-${j}`);
  const tests = [...[...topicTests.values()].flat(), ...control, ...flaky];
  const flakySet = new Set(flaky);
  const base = new Map<string, number>();
  for (const m of models) for (const t of tests) base.set(`${m}\u0000${t}`, 0.4 + 0.2 * random.next());

  // Plan every timed change.
  interface Timed { at: number; apply: () => PlantedEvent | null }
  const timed: Timed[] = [];
  const lessonEffect = new Array<{ at: number; delta: number }[]>(lessonCount).fill([]).map(() => [] as { at: number; delta: number }[]);
  const modelShifts = models.map(() => [] as { at: number; delta: number }[]);
  const harnessBumps: number[] = [];
  const truthChanges: TruthChange[] = [];
  const planted: GroundTruth['plantedChanges'] = [];
  let companion = lessonCount;
  /** After the slots' changes in the truth, so `lessonChanges[i]` is slot i's change. */
  const companions: TruthChange[] = [];
  const end = start + (options.slots.length + 1) * options.slotGapHours * HOUR;
  const runTimes: number[] = [];
  for (let t = start; t < end; t += options.runEveryHours * HOUR) runTimes.push(t);
  /** What each slot placed, at what time, touching which models (the ground truth is read from this). */
  const placements: Placement[][] = [];
  options.slots.forEach((slot, index) => {
    const at = start + (index + 1) * options.slotGapHours * HOUR + 30 * 60_000; // half past: never in a run's hour
    const placed: Placement[] = [];
    placements.push(placed);
    const id = lessonId(slot.lesson);
    const eventId = uuidV5(`planted:${options.seed}:slot:${index}`, LESSONLOOP_NAMESPACE);
    lessonEffect[topicOf(slot.lesson)]!.push({ at, delta: slot.effect });
    timed.push({ at, apply: () => lessonEvent(slot, id, eventId, at, index, lessonKeyword(topicOf(slot.lesson))) });
    const own: TruthChange = { changeId: eventId, lessonId: id, at: iso(at), trueEffect: slot.effect, confoundersWithin: {}, confoundedModelsWithin: {}, statusWithin: {} };
    truthChanges.push(own);
    planted.push({ changeId: eventId, kind: slot.action === 'create' ? 'lesson-created' : 'lesson-edit', at: iso(at), subject: id });
    placed.push({ changeId: eventId, at, models, lessonChange: own });
    if (slot.modelApiAt) {
      const { hours, model, shift } = slot.modelApiAt;
      const when = at + hours * HOUR;
      const changeId = `planted-model-api-${index}`;
      modelShifts[model]!.push({ at: when, delta: shift });
      planted.push({ changeId, kind: 'model-api', at: iso(when), subject: models[model]!, model: models[model]! });
      placed.push({ changeId, at: when, models: [models[model]!] });
      timed.push({ at: when, apply: () => externalEvent(changeId, models[model]!, when) });
    }
    if (slot.harnessBumpAt !== undefined) {
      const bump = at + slot.harnessBumpAt * HOUR;
      harnessBumps.push(bump);
      // A bump takes effect from the first run at or after it: that run is when each model's commit change happens.
      const firstRun = runTimes.find((t) => t >= bump);
      for (const m of firstRun === undefined ? [] : models) {
        const changeId = `harness-commit:${m}:${runIdAt(firstRun!, m)}`;
        planted.push({ changeId, kind: 'harness-commit', at: iso(firstRun!), subject: m, model: m });
        placed.push({ changeId, at: firstRun!, models: [m] });
      }
    }
    if (slot.companionLessonAt !== undefined) {
      const when = at + slot.companionLessonAt * HOUR;
      const l = companion++;
      const companionId = uuidV5(`planted:${options.seed}:companion:${index}`, LESSONLOOP_NAMESPACE);
      planted.push({ changeId: companionId, kind: 'lesson-created', at: iso(when), subject: lessonId(l) });
      const change: TruthChange = {
        changeId: companionId, lessonId: lessonId(l), at: iso(when), trueEffect: 0, matchesNoTest: true,
        confoundersWithin: {}, confoundedModelsWithin: {}, statusWithin: {},
      };
      companions.push(change);
      placed.push({ changeId: companionId, at: when, models, lessonChange: change });
      timed.push({ at: when, apply: () => createEvent(lessonId(l), companionId, when, [lessonKeyword(l)]) });
    }
  });
  harnessBumps.sort((a, b) => a - b);
  planted.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  for (const t of runTimes) timed.push({ at: t, apply: () => null });
  timed.sort((a, b) => a.at - b.at);

  const outcomes = runTimes.length * models.length * tests.length;
  function* emit(): Generator<PlantedEvent> {
  for (const item of timed) {
    const event = item.apply();
    if (event) {
      yield event;
      continue;
    }
    const runAt = item.at;
    const commit = `h${harnessBumps.filter((b) => b <= runAt).length}`;
    for (let mi = 0; mi < models.length; mi += 1) {
      const model = models[mi]!;
      const runId = runIdAt(runAt, model);
      const shift = sum(modelShifts[mi]!, runAt);
      for (const test of tests) {
        const owner = testOwner.get(test);
        const p = flakySet.has(test)
          ? 0.5
          : clamp(base.get(`${model}\u0000${test}`)! + shift + (owner === undefined ? 0 : sum(lessonEffect[owner]!, runAt)));
        const infra = random.chance(0.01);
        yield outcomeEvent(runId, model, test, !infra && random.chance(p), infra, commit, runAt, options.seed);
      }
    }
  }
  }
  truthChanges.push(...companions);
  plantTruth(placements, options.windows);
  return { events: emit(), truth: { lessonChanges: truthChanges, plantedChanges: planted, models, outcomes, tests: { affected, control, flaky } } };
}

/** A change a slot placed: when, and which models' estimates it touches. */
interface Placement {
  changeId: string;
  at: number;
  models: readonly string[];
  /** Set for a lesson change: its truth is filled in from the slot's other placements. */
  lessonChange?: TruthChange;
}

/** Each lesson change's truth from the placements: what was placed within each window of it, whatever the slot. */
function plantTruth(slots: readonly Placement[][], windows: readonly number[]): void {
  const placed = slots.flat();
  for (const change of placed) {
    const truth = change.lessonChange;
    if (!truth) continue;
    for (const w of windows) {
      const within = placed.filter((p) => p !== change && Math.abs(p.at - change.at) <= w * HOUR);
      truth.confoundersWithin[w] = within.map((p) => p.changeId).sort();
      truth.confoundedModelsWithin[w] = [...new Set(within.flatMap((p) => p.models))].sort();
      truth.statusWithin[w] = within.length > 0 ? 'confounded' : truth.matchesNoTest ? 'insufficient-data' : 'isolated';
    }
  }
}

export function lessonId(index: number): string {
  return `planted-lesson-${index}`;
}

function sum(steps: { at: number; delta: number }[], at: number): number {
  let total = 0;
  for (const s of steps) if (s.at <= at) total += s.delta;
  return total;
}

function clamp(p: number): number {
  return Math.min(0.97, Math.max(0.03, p));
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function runIdAt(ms: number, model: string): string {
  return `run-${iso(ms).replace(/[:.]/g, '')}-${model.replace(/\W/g, '_')}`;
}

function lessonEvent(slot: PlantedSlot, id: string, eventId: string, at: number, index: number, keyword: string): PlantedEvent {
  if (slot.action === 'create') return createEvent(id, eventId, at, [keyword]);
  return {
    eventId,
    streamId: `lesson-${id}`,
    type: 'LessonEdited',
    schemaVersion: 2,
    data: { lessonId: id, changes: { body: { from: `body of ${id}`, to: `body of ${id}, edit ${index}` } }, reason: `planted edit ${index}` },
    metadata: { occurredAt: iso(at), source: 'planted-world' },
  };
}

function createEvent(id: string, eventId: string, at: number, keywords: string[]): PlantedEvent {
  return {
    eventId,
    streamId: `lesson-${id}`,
    type: 'LessonCreated',
    schemaVersion: 2,
    data: {
      lessonId: id,
      title: `Lesson ${id}`,
      category: 'planted',
      body: `body of ${id}`,
      match: { keywords, patterns: [], tools: [], sessionCategories: [] },
      status: 'active',
    },
    metadata: { occurredAt: iso(at), source: 'planted-world' },
  };
}

function externalEvent(changeId: string, model: string, at: number): PlantedEvent {
  return {
    eventId: uuidV5(`planted:external:${changeId}`, LESSONLOOP_NAMESPACE),
    streamId: `external-${changeId}`,
    type: 'ExternalChangeObserved',
    schemaVersion: 1,
    data: { changeId, kind: 'model-api', subject: model, description: `provider updated ${model}` },
    metadata: { occurredAt: iso(at), source: 'planted-world' },
  };
}

function outcomeEvent(runId: string, model: string, test: string, passed: boolean, infra: boolean, commit: string, at: number, seed: number): PlantedEvent {
  return {
    eventId: uuidV5(`planted:${seed}:${runId}:${test}`, LESSONLOOP_NAMESPACE),
    streamId: `eval-run-${runId}`,
    type: 'TestOutcomeRecorded',
    schemaVersion: 2,
    data: {
      runId,
      test,
      model,
      rawModel: model,
      toolFormat: null,
      occurrence: 0,
      passed,
      suspectedInfraError: infra,
      harnessCommit: commit,
    },
    metadata: { occurredAt: iso(at), source: 'planted-world' },
  };
}
