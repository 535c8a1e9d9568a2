/**
 * Per-model confounding, worked by hand on two models: any confounder in the window makes the change confounded
 * (issue #8); a change about one model touches only that model in the per-model detail, a change about no model
 * both; the estimates (`cleanModels`, `overall`, `perModel`) sum the clean models only, kept as partial evidence.
 */
import { changeTimeline, timelineOf } from '../../projections/domain-changes/change-timeline.js';
import { compareAnalyses } from '../../projections/experiments/experiment-compare.js';
import { bucketsOf, experimentOutcomes } from '../../projections/experiments/experiment-outcomes.js';
import { experimentRules } from '../../projections/experiments/experiment-rules.js';
import { analyzeExperiments, confoundsModel } from '../../projections/experiments/experiment-windows.js';
import { indexBuckets } from '../../projections/experiments/window-tallies.js';
import { given, type GivenEvent } from '../../projections/machinery/testing.js';

const at = (hours: number) => new Date(Date.parse('2026-03-01T00:00:00Z') + hours * 3_600_000).toISOString();
const BEFORE = [-10, -8, -6, -4];
const AFTER = [4, 6, 8, 10];

function outcomes(model: string, test: string, passes: string, extra: (hours: number) => Record<string, unknown> = () => ({})): GivenEvent[] {
  return [...BEFORE, ...AFTER].map((hours, i) => ({
    type: 'TestOutcomeRecorded',
    data: { runId: `${model}-r${hours}`, test, model, rawModel: model, toolFormat: null, occurrence: 0, passed: passes[i] === 'T', suspectedInfraError: false, ...extra(hours) },
    metadata: { occurredAt: at(hours) },
  }));
}

const lessonCreated: GivenEvent = {
  type: 'LessonCreated',
  eventId: 'change-L',
  data: { lessonId: 'L', title: 'Patch carefully', category: 'tools', body: 'b', match: { keywords: ['patch'], patterns: [], tools: [], sessionCategories: [] }, status: 'active' },
  metadata: { occurredAt: at(0.5) },
};

function external(changeId: string, kind: 'model-api' | 'harness', subject: string, hours: number): GivenEvent {
  return { type: 'ExternalChangeObserved', data: { changeId, kind, subject, description: `${kind} change` }, metadata: { occurredAt: at(hours) } };
}

// Before | after, 4 outcomes each:
//   m fix-patch FFTF | TTTT (1/4 -> 4/4)   m hello TFTF | TFTF (2/4 -> 2/4)
//   n fix-patch TTFF | TTTF (2/4 -> 3/4)   n hello TTFF | TFFF (2/4 -> 1/4)
function analyse(extra: GivenEvent[], rules: Record<string, unknown> = {}, harnessOnM = false) {
  const commit = (hours: number) => (harnessOnM ? { harnessCommit: hours < 0 ? 'c1' : 'c2' } : {});
  const events = [
    ...outcomes('m', 'fix-patch', 'FFTFTTTT', commit), ...outcomes('m', 'hello', 'TFTFTFTF', commit),
    ...outcomes('n', 'fix-patch', 'TTFFTTTF'), ...outcomes('n', 'hello', 'TTFFTFFF'),
    lessonCreated, ...extra,
  ].sort((x, y) => Date.parse(x.metadata!.occurredAt!) - Date.parse(y.metadata!.occurredAt!));
  const timeline = timelineOf(Object.values(given(changeTimeline, events).documents));
  const buckets = indexBuckets(bucketsOf(Object.values(given(experimentOutcomes, events).documents)));
  return analyzeExperiments(timeline, buckets, experimentRules({ experimentWindowHours: 12, ...rules })).find((e) => e.changeId === 'change-L')!;
}

describe('per-model confounding (hand-worked)', () => {
  it('a change about a model confounds that model, the models of its provider prefix or of its family, nothing else', () => {
    expect(confoundsModel('openai/gpt-4o', 'openai/gpt-4o')).toBe(true);
    expect(confoundsModel('openai', 'openai/gpt-4o')).toBe(true);
    expect(confoundsModel('openai/gpt-4o', 'openai/gpt-4o-2024-08-06')).toBe(true);
    expect(confoundsModel('openai/gpt-4o', 'openai/gpt-4o-mini')).toBe(false);
    expect(confoundsModel('open', 'openai/gpt-4o')).toBe(false);
    expect(confoundsModel('n', 'm')).toBe(false);
  });

  it('with no confounder the overall estimate sums both models', () => {
    const e = analyse([]);
    expect(e.status).toBe('isolated');
    expect(e.models).toEqual({ m: { status: 'isolated', confounders: [] }, n: { status: 'isolated', confounders: [] } });
    expect(e.overall!.affectedBefore).toEqual({ passed: 3, failed: 5 });
    expect(e.overall!.affectedAfter).toEqual({ passed: 7, failed: 1 });
    expect(e.overall!.controlBefore).toEqual({ passed: 4, failed: 4 });
    expect(e.overall!.controlAfter).toEqual({ passed: 3, failed: 5 });
    // (7/8 - 3/8) - (3/8 - 4/8) = 0.5 + 0.125
    expect(e.overall!.differenceInDifferences).toBeCloseTo(0.625, 10);
    expect(Object.keys(e.perModel!)).toEqual(['m', 'n']);
    expect(e.cleanModels).toEqual(['m', 'n']);
  });

  it("a model-API change of n confounds the change and touches only n: the estimate over the clean model m is kept", () => {
    const e = analyse([external('api-n', 'model-api', 'n', 5.5)]);
    expect(e.status).toBe('confounded');
    expect(e.cleanModels).toEqual(['m']);
    expect(e.confounders.map((c) => [c.changeId, c.model, c.hoursFromChange])).toEqual([['api-n', 'n', 5]]);
    expect(e.models).toEqual({ m: { status: 'isolated', confounders: [] }, n: { status: 'confounded', confounders: ['api-n'] } });
    expect(e.overall!.affectedBefore).toEqual({ passed: 1, failed: 3 });
    expect(e.overall!.affectedAfter).toEqual({ passed: 4, failed: 0 });
    // (4/4 - 1/4) - (2/4 - 2/4)
    expect(e.overall!.differenceInDifferences).toBeCloseTo(0.75, 10);
    // Table [[1,3],[4,0]]: one-sided 5/70, two-sided 10/70.
    expect(e.overall!.fisherP).toBeCloseTo(10 / 70, 10);
    expect(Object.keys(e.perModel!)).toEqual(['m']);
  });

  it('a harness change about no model confounds every model: confounded, each model naming it', () => {
    const e = analyse([external('api-n', 'model-api', 'n', 5.5), external('harness-1', 'harness', 'gptme', 3.5)]);
    expect(e.status).toBe('confounded');
    expect(e.overall).toBeUndefined();
    expect(e.cleanModels).toBeUndefined();
    expect(e.models).toEqual({
      m: { status: 'confounded', confounders: ['harness-1'] },
      n: { status: 'confounded', confounders: ['harness-1', 'api-n'] },
    });
  });

  it("a harness commit seen on m's runs confounds the change, touching m only; with n's model-API change no model is clean", () => {
    const onlyM = analyse([], {}, true);
    expect(onlyM.status).toBe('confounded');
    expect(onlyM.cleanModels).toEqual(['n']);
    expect(onlyM.confounders.map((c) => [c.kind, c.model, c.hoursFromChange])).toEqual([['harness-commit', 'm', 3.5]]);
    expect(onlyM.models.m!.status).toBe('confounded');
    // n alone: (3/4 - 2/4) - (1/4 - 2/4) = 0.5
    expect(onlyM.overall!.differenceInDifferences).toBeCloseTo(0.5, 10);
    const both = analyse([external('api-n', 'model-api', 'n', 5.5)], {}, true);
    expect(both.status).toBe('confounded');
    expect(Object.values(both.models).map((m) => m.status)).toEqual(['confounded', 'confounded']);
    expect(both.overall).toBeUndefined();
  });

  it('models short of data make it insufficient only when no model is isolated and nothing confounds it; a confounder makes it confounded', () => {
    const short = analyse([], { minCleanBefore: 5 });
    expect(short.status).toBe('insufficient-data');
    // 104 outcomes a window detect a 20-point change (data-needed.ts); m has 4 of them, one a run (one affected test);
    // the experiment 8, two a run (m and n).
    expect(short.models.m).toEqual({
      status: 'insufficient-data',
      confounders: [],
      insufficient: { affectedBefore: 4, affectedAfter: 4, minBefore: 5, minAfter: 2, needed: { outcomesPerWindow: 104, moreBefore: 100, moreAfter: 100, runsBefore: 100, runsAfter: 100 } },
    });
    expect(short.insufficient).toEqual({
      affectedBefore: 8, affectedAfter: 8, minBefore: 5, minAfter: 2,
      needed: { outcomesPerWindow: 104, moreBefore: 96, moreAfter: 96, runsBefore: 48, runsAfter: 48 },
    });
    const mixed = analyse([external('api-n', 'model-api', 'n', 5.5)], { minCleanBefore: 5 });
    expect(mixed.status).toBe('confounded');
    expect(mixed.models.m!.status).toBe('insufficient-data');
    expect(mixed.overall).toBeUndefined();
  });

  it('compare reports the change and model n entering confounded when the window grows past its model-API change, with the reason', () => {
    const world = [external('api-n', 'model-api', 'n', 5.5)];
    const narrow = analyse(world, { confoundWindowHours: 4 });
    const wide = analyse(world, { confoundWindowHours: 24 });
    expect(narrow.models.n!.status).toBe('isolated');
    const [difference, ...rest] = compareAnalyses([narrow], [wide]);
    expect(rest).toEqual([]);
    expect(difference!.statusChanged).toBe(true);
    expect([difference!.statusA, difference!.statusB]).toEqual(['isolated', 'confounded']);
    expect(difference!.models).toEqual([{ model: 'n', statusA: 'isolated', statusB: 'confounded', confoundersEntered: ['api-n'], confoundersLeft: [] }]);
    expect(difference!.reason).toBe(`isolated -> confounded; confounder entered: model-api n at ${at(5.5)} (5 h); model n: isolated -> confounded (confounded by model-api n at ${at(5.5)} (5 h))`);
    // Back the other way the model leaves confounded.
    expect(compareAnalyses([wide], [narrow])[0]!.reason).toContain('model n: confounded -> isolated (no longer confounded by model-api n');
  });

  it('compare names the models a lesson change moves together once, with the change', () => {
    const other: GivenEvent = {
      type: 'LessonCreated',
      eventId: 'change-M',
      data: { lessonId: 'M', title: 'Other', category: 'tools', body: 'b', match: { keywords: ['nothing-matches'], patterns: [], tools: [], sessionCategories: [] }, status: 'active' },
      metadata: { occurredAt: at(8.5) },
    };
    const [difference] = compareAnalyses([analyse([other], { confoundWindowHours: 4 })], [analyse([other], { confoundWindowHours: 24 })]);
    expect(difference!.statusChanged).toBe(true);
    expect(difference!.models.map((m) => [m.model, m.confoundersEntered])).toEqual([['m', ['change-M']], ['n', ['change-M']]]);
    expect(difference!.reason).toBe(
      `isolated -> confounded; confounder entered: lesson-created M at ${at(8.5)} (8 h); ` +
        `models m, n: isolated -> confounded (confounded by lesson-created M at ${at(8.5)} (8 h))`,
    );
  });
});
