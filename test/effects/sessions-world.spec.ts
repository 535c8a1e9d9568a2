/**
 * The planted sessions world (bench/gen-history/sessions-world): sessions go through the real Thompson
 * selection and the holdout coin, outcomes are drawn from the planted truth, exposure is folded by the
 * lesson-effects projection. What the issue asks the estimators to show, on a world small enough for CI.
 */
import { eventDefinition } from '../../contracts/catalogue.js';
import { analyzeExperiments } from '../../projections/experiments/experiment-windows.js';
import { DEFAULT_EXPERIMENT_RULES } from '../../projections/experiments/experiment-rules.js';
import { indexBuckets } from '../../projections/experiments/window-tallies.js';
import { canonical } from '../../projections/machinery/testing.js';
import { effectFigures, foldLessonEffects, lessonResults, share, type LessonResult } from '../../bench/gen-history/sessions-world/evaluate-effects.js';
import { simulateSessionsWorld, type SessionsWorld } from '../../bench/gen-history/sessions-world/simulate-sessions.js';
import { DEFAULT_SESSIONS_WORLD, type SessionsWorldConfig } from '../../bench/gen-history/sessions-world/world-config.js';
import { outcomeBuckets, plantedTimeline } from '../../bench/gen-history/sessions-world/world-timeline.js';

const MIXED: SessionsWorldConfig = { ...DEFAULT_SESSIONS_WORLD, seed: 1, sessions: 12000, lessons: 64, holdoutRate: 0.2 };
const NULLS: SessionsWorldConfig = { ...DEFAULT_SESSIONS_WORLD, sessions: 3600, lessons: 60, effects: [0], holdoutRate: 0.2 };

let world: SessionsWorld;
let results: LessonResult[];
beforeAll(() => {
  world = simulateSessionsWorld(MIXED);
  results = lessonResults(world);
});

describe('planted sessions world: the randomized holdout', () => {
  it('covers the true risk difference with its 95% interval for >= 90% of >= 40 lessons (>= 200 exposures each)', () => {
    const figures = effectFigures(results);
    console.log(JSON.stringify(figures));
    expect(figures.coverage.of).toBeGreaterThanOrEqual(40);
    expect(share(figures.coverage)).toBeGreaterThanOrEqual(0.9);
  });

  it('gets the sign right for >= 90% of the >= 20 lessons whose true effect is >= 1.65 SE', () => {
    const { sign } = effectFigures(results);
    expect(sign.of).toBeGreaterThanOrEqual(20);
    expect(share(sign)).toBeGreaterThanOrEqual(0.9);
  });

  it('still covers the truth for lessons the time window calls confounded (created with a model-API change)', () => {
    const confounded = results.filter((r) => r.truth.confoundedInTime);
    expect(confounded.length).toBe(MIXED.confoundedInTime.lessons.length);
    // The time-window experiment over the same world (every test affected, so only confounding can stop it).
    const experiments = analyzeExperiments(plantedTimeline(world), indexBuckets(outcomeBuckets(world)), { ...DEFAULT_EXPERIMENT_RULES, affectedTests: 'all' });
    for (const { truth } of confounded) {
      const experiment = experiments.find((e) => e.lessonId === truth.lessonId)!;
      expect([experiment.status, experiment.confounders.some((c) => c.kind === 'model-api')]).toEqual(['confounded', true]);
    }
    for (const { truth, estimates } of confounded) {
      const e = estimates['randomized-holdout'];
      expect(truth.exposures).toBeGreaterThanOrEqual(200);
      expect([e.lower! <= truth.trueRiskDifference, truth.trueRiskDifference <= e.upper!]).toEqual([true, true]);
    }
  });
});

describe('planted sessions world: leave-one-out', () => {
  it('naive pooled LOO gets signs wrong on category baselines; stratified LOO is right for >= 90% of those', () => {
    const { stratifiedLoo } = effectFigures(results);
    // One CI-sized world has few such lessons; `npm run bench:effects` gives the figure over seeds.
    expect(stratifiedLoo.of).toBeGreaterThanOrEqual(5);
    expect(share(stratifiedLoo)).toBeGreaterThanOrEqual(0.9);
    expect(results.every((r) => r.estimates['stratified-loo'].observational && !r.estimates['randomized-holdout'].observational)).toBe(true);
  });
});

describe('planted sessions world: null lessons', () => {
  it('calls <= 5% of >= 100 zero-effect lessons (pooled over seeds) significant', () => {
    const pooled = [11, 12].flatMap((seed) => lessonResults(simulateSessionsWorld({ ...NULLS, seed })));
    const { nullLessons } = effectFigures(pooled);
    console.log(JSON.stringify(nullLessons));
    expect(nullLessons.of).toBeGreaterThanOrEqual(100);
    expect(share(nullLessons)).toBeLessThanOrEqual(0.05);
  });
});

describe('planted sessions world: determinism', () => {
  it('replaying the same world gives identical events and estimates', () => {
    const small = { ...MIXED, sessions: 2500 };
    const [first, again] = [simulateSessionsWorld(small), simulateSessionsWorld(small)];
    expect(again.events.length).toBeGreaterThan(2000);
    expect(canonical(again.events)).toBe(canonical(first.events));
    expect(canonical(lessonResults(again))).toBe(canonical(lessonResults(first)));
  });

  it('with its session log, each session also has its selection, outcome and reward, valid under their contracts', () => {
    const logged = simulateSessionsWorld({ ...MIXED, sessions: 300, inclusionDraws: 20, sessionLog: true });
    expect(logged.sessionLog).toHaveLength(3 * logged.events.length);
    for (const { event } of logged.sessionLog) {
      const definition = eventDefinition(event.type)!;
      expect([event.type, event.schemaVersion, definition.schema.safeParse(event.data).error?.message]).toEqual([event.type, definition.currentVersion, undefined]);
    }
    const outcomeIds = new Set(logged.sessionLog.filter((e) => e.event.type === 'TestOutcomeRecorded').map((e) => e.event.eventId));
    expect(logged.events.every((e) => outcomeIds.has((e.data as { outcome: { eventId: string } }).outcome.eventId))).toBe(true);
    // The exposures are the same with or without the session log.
    expect(canonical(logged.events)).toBe(canonical(simulateSessionsWorld({ ...MIXED, sessions: 300, inclusionDraws: 20 }).events));
  });

  it('a rebuild (all events at once) equals the incremental build (batches of 500)', () => {
    const rebuilt = foldLessonEffects(world.events);
    const incremental = foldLessonEffects(world.events, {}, 500);
    expect(canonical([...incremental])).toBe(canonical([...rebuilt]));
  });
});
