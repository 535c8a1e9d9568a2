/**
 * Every experiment q value is reproducible from the events: the planted experiments world folded by the
 * `change-timeline` and `experiment-outcomes` projections in one batch (a rebuild), one event at a time and in
 * batches of 3 (given() requires the same documents for all three: the incremental build), then analysed,
 * gives the same verdicts, p and q values, overall and per model, to the last bit.
 */
import { changeTimeline, timelineOf, type ChangeTimelineDoc } from '../../projections/domain-changes/change-timeline.js';
import { analyzeExperiments } from '../../projections/experiments/experiment-windows.js';
import { bucketsOf, experimentOutcomes, type OutcomeDayDoc } from '../../projections/experiments/experiment-outcomes.js';
import { experimentRules } from '../../projections/experiments/experiment-rules.js';
import { indexBuckets } from '../../projections/experiments/window-tallies.js';
import { given, recordedEvents } from '../../projections/machinery/testing.js';
import { foldWorld, smallPlantedWorld } from '../experiments/planted-world-fixture.js';

const world = smallPlantedWorld();

describe('experiment q values from the events', () => {
  it('the incremental build (events one by one, in batches of 3) gives the rebuild\'s verdicts, p and q', () => {
    const recorded = recordedEvents(world.events);
    const timelineDocs = given(changeTimeline, recorded.filter((e) => changeTimeline.eventTypes.includes(e.type))).documents;
    const dayDocs = given(experimentOutcomes, recorded.filter((e) => e.type === 'TestOutcomeRecorded')).documents;
    const incremental = { timeline: timelineOf(Object.values(timelineDocs) as ChangeTimelineDoc[]), buckets: indexBuckets(bucketsOf(Object.values(dayDocs) as OutcomeDayDoc[])) };
    const rebuilt = foldWorld(world.events);
    for (const rules of [experimentRules(), experimentRules({ verdictFdrMethod: 'by', verdictFdrFamily: 'all' })]) {
      const a = analyzeExperiments(incremental.timeline, incremental.buckets, rules);
      const b = analyzeExperiments(rebuilt.timeline, rebuilt.buckets, rules);
      expect(a.length).toBeGreaterThanOrEqual(10);
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      expect(a.filter((e) => typeof e.overall?.q === 'number').length).toBeGreaterThanOrEqual(5);
    }
  });
});
