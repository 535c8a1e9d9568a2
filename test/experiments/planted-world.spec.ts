import { analyzeExperiments } from '../../projections/experiment-windows.js';
import { compareAnalyses } from '../../projections/experiment-compare.js';
import { experimentRules } from '../../projections/experiment-rules.js';
import { foldWorld, smallPlantedWorld } from './planted-world-fixture.js';

/** Effects at least this large (in pass probability) must have their sign recovered. */
const STATED_EFFECT_SIZE = 0.25;

const { events, truth } = smallPlantedWorld();
const { timeline, buckets } = foldWorld(events);
const at24 = analyzeExperiments(timeline, buckets, experimentRules({ confoundWindowHours: 24 }));
const at72 = analyzeExperiments(timeline, buckets, experimentRules({ confoundWindowHours: 72 }));
const byId = (list: typeof at24) => new Map(list.map((e) => [e.changeId, e]));

describe('planted-effects world', () => {
  it('holds the planted changes, a few thousand outcomes and flaky tests', () => {
    expect(truth.outcomes).toBeGreaterThan(20_000);
    expect(truth.tests.flaky).toHaveLength(2);
    expect(timeline.filter((c) => c.kind === 'model-api')).toHaveLength(3);
    expect(timeline.filter((c) => c.kind === 'harness-commit')).toHaveLength(4);
  });

  it('marks the planted isolated changes isolated and the overlapping ones confounded with the right confounders (24 h)', () => {
    const analysis = byId(at24);
    for (const change of truth.lessonChanges) {
      const experiment = analysis.get(change.changeId)!;
      expect(experiment).toBeDefined();
      const expected = change.confoundersWithin[24]!;
      expect({ id: change.changeId, status: experiment.status }).toEqual({
        id: change.changeId,
        status: expected.length === 0 ? 'isolated' : 'confounded',
      });
      expect(experiment.confounders.map((c) => c.changeId).sort()).toEqual(expected);
    }
    const confounded = truth.lessonChanges.filter((c) => c.confoundersWithin[24]!.length > 0);
    expect(confounded.length).toBeGreaterThanOrEqual(3);
    const kinds = new Set(confounded.flatMap((c) => analysis.get(c.changeId)!.confounders.map((x) => x.kind)));
    expect([...kinds].sort()).toEqual(['harness-commit', 'lesson-created', 'model-api']);
  });

  it(`recovers the sign of every isolated true effect of at least ${STATED_EFFECT_SIZE}`, () => {
    const analysis = byId(at24);
    const checked = truth.lessonChanges.filter(
      (c) => c.confoundersWithin[24]!.length === 0 && Math.abs(c.trueEffect) >= STATED_EFFECT_SIZE,
    );
    expect(checked.length).toBeGreaterThanOrEqual(6);
    for (const change of checked) {
      const overall = analysis.get(change.changeId)!.overall!;
      expect({ id: change.changeId, sign: Math.sign(overall.effect!) }).toEqual({ id: change.changeId, sign: Math.sign(change.trueEffect) });
      expect(overall.significant).toBe(true);
      expect(overall.probabilityAfterGreater > 0.5).toBe(change.trueEffect > 0);
    }
  });

  it('24 h -> 72 h flips exactly the changes the ground truth says, each with the confounder that entered', () => {
    const expectedFlips = truth.lessonChanges
      .filter((c) => (c.confoundersWithin[24]!.length === 0) !== (c.confoundersWithin[72]!.length === 0))
      .map((c) => c.changeId)
      .sort();
    expect(expectedFlips.length).toBeGreaterThanOrEqual(2);
    const differences = compareAnalyses(at24, at72);
    const flipped = differences.filter((d) => d.statusChanged).map((d) => d.changeId).sort();
    expect(flipped).toEqual(expectedFlips);
    for (const d of differences.filter((x) => x.statusChanged)) {
      const truthChange = truth.lessonChanges.find((c) => c.changeId === d.changeId)!;
      const entered = truthChange.confoundersWithin[72]!.filter((id) => !truthChange.confoundersWithin[24]!.includes(id));
      expect(d.confoundersEntered.map((c) => c.changeId).sort()).toEqual(entered);
      expect(d.reason).toContain('confounder entered: model-api');
    }
  });
});
