import { changeTimeline, modelFamily, timelineOf } from '../../projections/domain-changes/change-timeline.js';
import { bucketsOf, experimentOutcomes } from '../../projections/experiments/experiment-outcomes.js';
import { analyzeExperiments, testMatchesLesson } from '../../projections/experiments/experiment-windows.js';
import { indexBuckets } from '../../projections/experiments/window-tallies.js';
import { experimentRules } from '../../projections/experiments/experiment-rules.js';
import { given, type GivenEvent } from '../../projections/machinery/testing.js';
import { probabilityAfterGreater } from '../../projections/stats/beta-superiority.js';

const at = (hours: number) => new Date(Date.parse('2026-03-01T00:00:00Z') + hours * 3_600_000).toISOString();

function outcome(hours: number, test: string, passed: boolean, extra: Record<string, unknown> = {}): GivenEvent {
  const runId = `r${hours}`;
  return {
    type: 'TestOutcomeRecorded',
    data: { runId, test, model: 'm', rawModel: 'm', toolFormat: null, occurrence: 0, passed, suspectedInfraError: false, ...extra },
    metadata: { occurredAt: at(hours) },
  };
}

const created: GivenEvent = {
  type: 'LessonCreated',
  eventId: 'lesson-change-1',
  data: {
    lessonId: 'L',
    title: 'Patch carefully',
    category: 'tools',
    body: 'b',
    match: { keywords: ['patch'], patterns: [], tools: [], sessionCategories: [] },
    status: 'active',
  },
  metadata: { occurredAt: at(0.5) },
};

function world(extra: GivenEvent[] = []) {
  // Affected test `fix-patch`: 1/4 before, 4/4 after. Control `hello`: 2/4 before and after.
  const events: GivenEvent[] = [
    outcome(-10, 'fix-patch', false), outcome(-8, 'fix-patch', false), outcome(-6, 'fix-patch', true), outcome(-4, 'fix-patch', false),
    outcome(-10, 'hello', true), outcome(-8, 'hello', false), outcome(-6, 'hello', true), outcome(-4, 'hello', false),
    outcome(-3, 'fix-patch', false, { suspectedInfraError: true }),
    created,
    outcome(4, 'fix-patch', true), outcome(6, 'fix-patch', true), outcome(8, 'fix-patch', true), outcome(10, 'fix-patch', true),
    outcome(4, 'hello', true), outcome(6, 'hello', false), outcome(8, 'hello', true), outcome(10, 'hello', false),
    ...extra,
  ];
  const docs = given(changeTimeline, events).documents;
  const buckets = indexBuckets(bucketsOf(Object.values(given(experimentOutcomes, events).documents)));
  return { timeline: timelineOf(Object.values(docs)), buckets };
}

describe('change timeline', () => {
  it('derives a harness-commit change between a model\'s consecutive runs and a model-version change of a family', () => {
    const docs = given(changeTimeline, [
      outcome(1, 'a', true, { harnessCommit: 'c1' }),
      outcome(1, 'b', true, { harnessCommit: 'c1' }),
      outcome(2, 'a', true, { harnessCommit: 'c2' }),
      outcome(3, 'a', true, { model: 'x/gpt-2024-01-01', rawModel: 'x/gpt-2024-01-01' }),
      outcome(4, 'a', true, { model: 'x/gpt-2024-06-01', rawModel: 'x/gpt-2024-06-01' }),
    ]).documents;
    const changes = timelineOf(Object.values(docs));
    expect(changes.map((c) => [c.kind, c.at, c.subject])).toEqual([
      ['harness-commit', at(2), 'm'],
      ['model-version', at(4), 'x/gpt'],
    ]);
    expect(modelFamily('openai/gpt-4o-2024-08-06')).toBe('openai/gpt-4o');
  });

  it('keeps the lesson\'s keywords after a match change', () => {
    const docs = given(changeTimeline, [
      created,
      {
        type: 'LessonMatchChanged',
        data: { lessonId: 'L', added: { keywords: ['diff'] }, removed: { keywords: ['patch'] }, decidedBy: 'human' },
        metadata: { occurredAt: at(30) },
      },
    ]).documents;
    expect(docs['lesson:L']!.changes.map((c) => [c.kind, c.keywords])).toEqual([
      ['lesson-created', ['patch']],
      ['lesson-match', ['diff']],
    ]);
  });
});

describe('experiment windows (hand-worked)', () => {
  it('an isolated change: before/after on affected and control tests, DiD, Fisher p, P(after > before); infra excluded', () => {
    const { timeline, buckets } = world();
    const [experiment] = analyzeExperiments(timeline, buckets, experimentRules({ experimentWindowHours: 12 }));
    expect(experiment!.status).toBe('isolated');
    expect(experiment!.affectedTests).toEqual(['fix-patch']);
    const overall = experiment!.overall!;
    expect(overall.affectedBefore).toEqual({ passed: 1, failed: 3 });
    expect(overall.affectedAfter).toEqual({ passed: 4, failed: 0 });
    expect(overall.controlBefore).toEqual({ passed: 2, failed: 2 });
    expect(overall.differenceInDifferences).toBeCloseTo(0.75, 10);
    // Table [[1,3],[4,0]]: one-sided P(X >= 4) = C(5,4)C(3,0)/C(8,4) = 5/70; two-sided = 10/70.
    expect(overall.fisherP).toBeCloseTo(10 / 70, 10);
    expect(overall.significant).toBe(false);
    expect(overall.probabilityAfterGreater).toBeGreaterThan(0.95);
    expect(Object.keys(experiment!.perModel!)).toEqual(['m']);
  });

  it('a confounder within the window is listed with its time and kind; outside it, or of a kind the rules ignore, it is not', () => {
    const external: GivenEvent = {
      type: 'ExternalChangeObserved',
      data: { changeId: 'api-1', kind: 'model-api', subject: 'm', description: 'provider update' },
      metadata: { occurredAt: at(20.5) },
    };
    const { timeline, buckets } = world([external]);
    const [confounded] = analyzeExperiments(timeline, buckets, experimentRules({ confoundWindowHours: 24 }));
    expect(confounded!.status).toBe('confounded');
    expect(confounded!.confounders).toEqual([
      { changeId: 'api-1', kind: 'model-api', at: at(20.5), subject: 'm', description: 'provider update', hoursFromChange: 20, model: 'm' },
    ]);
    expect(confounded!.models).toEqual({ m: { status: 'confounded', confounders: ['api-1'] } });
    expect(analyzeExperiments(timeline, buckets, experimentRules({ confoundWindowHours: 12 }))[0]!.status).toBe('isolated');
    expect(analyzeExperiments(timeline, buckets, experimentRules({ confoundingKinds: ['harness'] }))[0]!.status).toBe('isolated');
  });

  it('insufficient data below the minimum clean points, with the counts', () => {
    const { timeline, buckets } = world();
    const [experiment] = analyzeExperiments(timeline, buckets, experimentRules({ minCleanBefore: 5, experimentWindowHours: 12 }));
    expect(experiment!.status).toBe('insufficient-data');
    // Not just the counts: 104 outcomes a window would detect a 20-point change, one outcome a run (one affected test).
    expect(experiment!.insufficient).toEqual({
      affectedBefore: 4, affectedAfter: 4, minBefore: 5, minAfter: 2,
      needed: { outcomesPerWindow: 104, moreBefore: 100, moreAfter: 100, runsBefore: 100, runsAfter: 100 },
    });
  });

  it('affectedTests=all has no control group (DiD null, the effect is the affected difference)', () => {
    const { timeline, buckets } = world();
    const [experiment] = analyzeExperiments(timeline, buckets, experimentRules({ affectedTests: 'all', experimentWindowHours: 12 }));
    expect(experiment!.overall!.differenceInDifferences).toBeNull();
    expect(experiment!.overall!.effect).toBeCloseTo(6 / 8 - 3 / 8, 10);
  });

  it('rule sets override rules by name or under `experiments`, and bad values are refused', () => {
    expect(experimentRules({ experiments: { confoundWindowHours: 72 } }).confoundWindowHours).toBe(72);
    expect(() => experimentRules({ confoundWindowHours: -1 })).toThrow();
  });

  it('keyword matching is a case-insensitive substring with * for word characters', () => {
    expect(testMatchesLesson('Fix-Patch', ['patch'], undefined)).toBe(true);
    expect(testMatchesLesson('read-big-file', ['read*file'], undefined)).toBe(false);
    expect(testMatchesLesson('readbigfile', ['read*file'], undefined)).toBe(true);
    expect(testMatchesLesson('hello', ['patch'], 'tools')).toBe(false);
  });

  it('P(after > before) is 1/2 for equal counts and matches a known value', () => {
    expect(probabilityAfterGreater({ passed: 3, failed: 3 }, { passed: 3, failed: 3 })).toBeCloseTo(0.5, 10);
    // Beta(2,1) vs Beta(1,1): P(X > Y) = ∫ 2x * x dx = 2/3.
    expect(probabilityAfterGreater({ passed: 0, failed: 0 }, { passed: 1, failed: 0 })).toBeCloseTo(2 / 3, 10);
  });
});
