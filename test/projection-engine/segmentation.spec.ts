/**
 * Segment assignment is a partition (pure): every event goes to exactly one segment, each segment gets a share,
 * the hash is stable, and folding each segment's events alone gives rows that together equal a fold of all
 * events (no row is written by two segments), for the segmented test-history and for outcome-counts keyed
 * the same way.
 */
import type { RecordedEvent } from '../../contracts/envelope.js';
import { outcomeCounts } from '../../projections/eval/outcome-counts.js';
import { BY_MODEL_FORMAT_AND_TEST } from '../../projections/eval/outcome-segments.js';
import { testHistory } from '../../projections/eval/test-history.js';
import type { ChangesProjection, RuleValues } from '../../projections/machinery/projection.js';
import { given, recordedEvents } from '../../projections/machinery/testing.js';
import { hashKey, segmentOf } from '../../projections/machinery/segmentation.js';
import { REGISTERED_PROJECTIONS } from '../../src/projection-engine/registered-projections.js';
import { outcomeRun } from './support/outcome-history.js';
import { sortRows } from './support/read-model.js';

const history: RecordedEvent[] = recordedEvents(
  Array.from({ length: 60 }, (_, run) => outcomeRun('segments', run, 20).events).flat().map((e) => ({ ...e, streamId: 's' })),
);
const { count } = BY_MODEL_FORMAT_AND_TEST;

describe('segments (pure)', () => {
  it('hashes keys stably (FNV-1a, 32 bits)', () => {
    expect(hashKey('')).toBe(0x811c9dc5);
    expect(hashKey('a')).toBe(0xe40c292c);
    expect(hashKey('foobar')).toBe(0xbf9cf968);
  });

  it('puts every event in exactly one segment, and every segment gets events', () => {
    const members = Array.from({ length: count }, (_, s) => history.filter((e) => segmentOf(BY_MODEL_FORMAT_AND_TEST, e) === s));
    expect(members.reduce((n, m) => n + m.length, 0)).toBe(history.length);
    const ids = members.flat().map((e) => e.eventId);
    expect(new Set(ids).size).toBe(history.length);
    for (const m of members) expect(m.length).toBeGreaterThan(history.length / count / 3);
    // Every outcome of one (model, format, test) in one segment.
    const segmentOfKey = new Map<string, number>();
    for (const e of history) {
      const key = BY_MODEL_FORMAT_AND_TEST.key(e);
      const s = segmentOf(BY_MODEL_FORMAT_AND_TEST, e);
      expect(segmentOfKey.get(key) ?? s).toBe(s);
      segmentOfKey.set(key, s);
    }
  });

  const cases: [string, ChangesProjection<RuleValues, string>, string, string[]][] = [
    ['test-history', testHistory, 'eval_test_history', ['event_id']],
    ['outcome-counts', { ...outcomeCounts, segmentation: BY_MODEL_FORMAT_AND_TEST }, 'outcome_counts', ['model', 'tool_format', 'test']],
  ];
  it.each(cases)('folds %s segment by segment into the rows of one fold of everything', (_name, projection, table, keys) => {
    const whole = given(projection, history).rows(table);
    const parts = Array.from({ length: count }, (_, s) =>
      given(projection, history.filter((e) => segmentOf(BY_MODEL_FORMAT_AND_TEST, e) === s)).rows(table),
    ).flat();
    expect(parts.length).toBe(whole.length);
    expect(sortRows(parts, keys)).toEqual(sortRows(whole, keys));
  });

  it('segments test-history; every other registered projection stays one segment and says why', () => {
    expect(REGISTERED_PROJECTIONS.filter((p) => p.segmentation).map((p) => p.name)).toEqual(['test-history']);
    for (const p of REGISTERED_PROJECTIONS.filter((q) => !q.segmentation)) {
      expect([p.name, p.oneSegmentBecause ?? 'no reason']).toEqual([p.name, expect.stringMatching(/^.{20,}$/)]);
    }
  });
});
