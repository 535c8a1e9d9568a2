import { analyzeExperiments, type Experiment } from '../../projections/experiments/experiment-windows.js';
import { compareAnalyses } from '../../projections/experiments/experiment-compare.js';
import { experimentRules } from '../../projections/experiments/experiment-rules.js';
import { foldWorld, PLANTED_SLOTS, smallPlantedWorld } from './planted-world-fixture.js';

/** Effects at least this large (in pass probability) must have their sign recovered. */
const STATED_EFFECT_SIZE = 0.25;

const { events, truth } = smallPlantedWorld();
const { timeline, buckets } = foldWorld(events);
const at24 = analyzeExperiments(timeline, buckets, experimentRules({ confoundWindowHours: 24 }));
const at72 = analyzeExperiments(timeline, buckets, experimentRules({ confoundWindowHours: 72 }));
const byId = (list: typeof at24) => new Map(list.map((e) => [e.changeId, e]));
const confoundedModels = (e: Experiment) => Object.entries(e.models).filter(([, m]) => m.status === 'confounded').map(([name]) => name).sort();

describe('planted-effects world', () => {
  it('holds the planted changes, a few thousand outcomes and flaky tests', () => {
    expect(truth.outcomes).toBeGreaterThan(20_000);
    expect(truth.tests.flaky).toHaveLength(2);
    expect(timeline.filter((c) => c.kind === 'model-api')).toHaveLength(3);
    expect(timeline.filter((c) => c.kind === 'harness-commit')).toHaveLength(8);
  });

  it('marks each planted change isolated or confounded as the ground truth says, per model, with the right confounders (24 h)', () => {
    const analysis = byId(at24);
    for (const change of truth.lessonChanges) {
      const experiment = analysis.get(change.changeId)!;
      expect(experiment).toBeDefined();
      expect({ id: change.changeId, status: experiment.status, confounders: experiment.confounders.map((c) => c.changeId).sort(), models: confoundedModels(experiment) })
        .toEqual({ id: change.changeId, status: change.statusWithin[24], confounders: change.confoundersWithin[24], models: change.confoundedModelsWithin[24] });
    }
    const confounded = truth.lessonChanges.filter((c) => c.statusWithin[24] === 'confounded');
    expect(confounded.length).toBeGreaterThanOrEqual(3);
    const kinds = new Set(confounded.flatMap((c) => analysis.get(c.changeId)!.confounders.map((x) => x.kind)));
    expect([...kinds].sort()).toEqual(['harness-commit', 'lesson-created', 'model-api']);
    // Slot 2: the generator put a model-API change of model b0 6 h after the lesson change. The change is
    // confounded by it (kind, subject, time); the estimate over the three clean models stays visible.
    const slot = PLANTED_SLOTS[2]!;
    const partly = analysis.get(truth.lessonChanges[2]!.changeId)!;
    const apiAt = new Date(Date.parse(truth.lessonChanges[2]!.at) + slot.modelApiAt!.hours * 3_600_000).toISOString();
    expect(partly.status).toBe('confounded');
    expect(partly.confounders.map((c) => ({ kind: c.kind, subject: c.subject, at: c.at, hoursFromChange: c.hoursFromChange })))
      .toEqual([{ kind: 'model-api', subject: 'sim/model-b0', at: apiAt, hoursFromChange: 6 }]);
    expect(partly.models['sim/model-b0']).toEqual({ status: 'confounded', confounders: ['planted-model-api-2'] });
    expect(partly.cleanModels).toEqual(['sim/model-a0', 'sim/model-c0', 'sim/model-d0']);
    expect(Object.keys(partly.perModel!)).toEqual(['sim/model-a0', 'sim/model-c0', 'sim/model-d0']);
    expect(Math.sign(partly.overall!.effect!)).toBe(Math.sign(slot.effect));
  });

  it(`recovers the sign of every isolated true effect of at least ${STATED_EFFECT_SIZE}`, () => {
    const analysis = byId(at24);
    const checked = truth.lessonChanges.filter((c) => c.statusWithin[24] === 'isolated' && Math.abs(c.trueEffect) >= STATED_EFFECT_SIZE);
    expect(checked.length).toBeGreaterThanOrEqual(8);
    for (const change of checked) {
      const overall = analysis.get(change.changeId)!.overall!;
      expect({ id: change.changeId, sign: Math.sign(overall.effect!) }).toEqual({ id: change.changeId, sign: Math.sign(change.trueEffect) });
      expect(overall.significant).toBe(true);
      expect(overall.probabilityAfterGreater > 0.5).toBe(change.trueEffect > 0);
    }
  });

  it('24 h -> 72 h flips exactly the statuses and the confounded models the ground truth says, each with the confounder that entered', () => {
    const expectedFlips = truth.lessonChanges.filter((c) => c.statusWithin[24] !== c.statusWithin[72]).map((c) => c.changeId).sort();
    expect(expectedFlips.length).toBeGreaterThanOrEqual(2);
    const differences = compareAnalyses(at24, at72);
    expect(differences.filter((d) => d.statusChanged).map((d) => d.changeId).sort()).toEqual(expectedFlips);
    for (const d of differences.filter((x) => x.statusChanged)) {
      const truthChange = truth.lessonChanges.find((c) => c.changeId === d.changeId)!;
      const entered = truthChange.confoundersWithin[72]!.filter((id) => !truthChange.confoundersWithin[24]!.includes(id));
      expect(d.confoundersEntered.map((c) => c.changeId).sort()).toEqual(entered);
      expect(d.reason).toMatch(/^(isolated|insufficient-data) -> confounded; confounder entered: (lesson-created|harness-commit|model-api)/);
    }
    const expectedModelFlips = truth.lessonChanges
      .flatMap((c) => c.confoundedModelsWithin[72]!.filter((m) => !c.confoundedModelsWithin[24]!.includes(m)).map((m) => `${c.changeId} ${m}`))
      .sort();
    const modelFlips = differences.flatMap((d) => d.models.map((m) => `${d.changeId} ${m.model}`)).sort();
    expect(modelFlips).toEqual(expectedModelFlips);
    // The model-API changes placed 48 h after slot 3 and 40 h before slot 6 confound those changes at 72 h.
    const apiFlips = differences.filter((d) => d.confoundersEntered.some((c) => c.kind === 'model-api'));
    expect(apiFlips.map((d) => ({ id: d.changeId, switch: `${d.statusA}->${d.statusB}`, entered: d.confoundersEntered.map((c) => `${c.subject} ${c.hoursFromChange}`) }))).toEqual([
      { id: truth.lessonChanges[3]!.changeId, switch: 'isolated->confounded', entered: ['sim/model-c0 48'] },
      { id: truth.lessonChanges[6]!.changeId, switch: 'isolated->confounded', entered: ['sim/model-d0 -40'] },
    ]);
  });
});
