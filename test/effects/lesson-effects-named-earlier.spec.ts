/**
 * LessonExposureRecorded v2 carries `namedEarlier` (the lessons earlier exposures of the outcome named), written by
 * the exposure decider from the outcome's stream; lesson-effects then keeps no per-outcome document. A log of v1
 * exposures (upcast, without it), the same log written as v2, and a v1 log continued in v2 give the same counts
 * and evidence.
 */
import { newEvent } from '../../contracts/catalogue.js';
import type { RecordedEvent } from '../../contracts/envelope.js';
import { exposureEventId, type LessonExposureRecordedData } from '../../contracts/exposure.js';
import { LESSON_EVIDENCE_TABLE } from '../../projections/effects/lesson-effect-evidence.js';
import { lessonEffects } from '../../projections/effects/lesson-effects.js';
import { canonical, given, type GivenEvent } from '../../projections/machinery/testing.js';
import { foldLessonEffects } from '../../bench/gen-history/sessions-world/evaluate-effects.js';
import { simulateSessionsWorld } from '../../bench/gen-history/sessions-world/simulate-sessions.js';
import { DEFAULT_SESSIONS_WORLD } from '../../bench/gen-history/sessions-world/world-config.js';
import { exposureDecider, namedAfter, type ExposureStreamState } from '../../src/effects/exposure-decider.js';

const outcomeId = (n: number) => `40000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

function data(outcome: number, injected: object[], withheld: object[], opts: { passed?: boolean; infra?: boolean } = {}): LessonExposureRecordedData {
  return {
    outcome: { eventId: outcomeId(outcome), globalPosition: String(500 + outcome), runId: 'r', test: 't', model: 'm1', passed: opts.passed ?? true, suspectedInfraError: opts.infra ?? false },
    category: 'code',
    injected,
    withheld,
  } as LessonExposureRecordedData;
}

const coinIn = (lessonId: string, extra: object = {}) => ({ lessonId, holdoutRate: 0.1, propensity: 0.45, ...extra });
const coinOut = (lessonId: string, extra: object = {}) => ({ lessonId, withheldBy: 'coin', holdoutRate: 0.1, propensity: 0.45, ...extra });

/** Several sources per outcome, overlapping lessons, revisions, paths and an infra error. */
const EXPOSURES: LessonExposureRecordedData[] = [
  data(1, [coinIn('a', { revision: 1 })], [{ lessonId: 'b', withheldBy: 'cap' }]),
  data(2, [], [coinOut('a')], { passed: false }),
  data(1, [{ lessonId: 'b' }], [{ lessonId: 'a', revision: 2, withheldBy: 'unknown' }, { path: 'lessons/new.md', withheldBy: 'unknown' }]),
  data(3, [coinIn('c')], [], { infra: true, passed: false }),
  data(3, [coinIn('c')], [], { infra: true, passed: false }),
  data(1, [{ path: 'lessons/new.md' }], [coinOut('c')]),
  data(2, [coinIn('a', { revision: 1 })], [], { passed: false }),
];

/** The exposures as v1 events (no namedEarlier) or as the decider writes them (v2), each in its outcome's stream. */
function log(exposures: readonly LessonExposureRecordedData[], v2From = 0): GivenEvent[] {
  const states = new Map<string, ExposureStreamState>();
  return exposures.map((d, i) => {
    const streamId = `exposure-${d.outcome.eventId}`;
    const state = states.get(streamId) ?? exposureDecider.initialState();
    const event = newEvent('LessonExposureRecorded', d, { occurredAt: '2026-01-01T00:00:00Z', source: `s${i}` }, exposureEventId(d.outcome.eventId, `s${i}`));
    const [decided] = exposureDecider.decide({ event }, state);
    states.set(streamId, exposureDecider.evolve(state, decided!));
    return i < v2From ? { type: 'LessonExposureRecorded', schemaVersion: 1, streamId, data: d } : { type: 'LessonExposureRecorded', schemaVersion: 2, streamId, data: decided!.data };
  });
}

function lessonDocuments(documents: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(documents).filter(([key]) => !key.startsWith('outcome:')));
}

describe('lesson-effects over LessonExposureRecorded v2 (namedEarlier)', () => {
  const v1 = given(lessonEffects, log(EXPOSURES, EXPOSURES.length));

  it('the decider writes what earlier exposures of the outcome named, leaving out infra errors', () => {
    const events = log(EXPOSURES);
    expect((events[0]!.data as LessonExposureRecordedData).namedEarlier).toEqual([]);
    expect((events[2]!.data as LessonExposureRecordedData).namedEarlier).toEqual([{ lessonId: 'a', revision: 1 }, { lessonId: 'b' }]);
    expect((events[4]!.data as LessonExposureRecordedData).namedEarlier).toEqual([]);
    expect((events[5]!.data as LessonExposureRecordedData).namedEarlier).toEqual([
      { lessonId: 'a', revision: 1 },
      { lessonId: 'b' },
      { lessonId: 'a', revision: 2 },
      { path: 'lessons/new.md' },
    ]);
    expect(namedAfter([], EXPOSURES[3]!)).toEqual([]);
  });

  it('a re-sent exposure decides nothing', () => {
    const event = newEvent('LessonExposureRecorded', EXPOSURES[0]!, { occurredAt: '2026-01-01T00:00:00Z', source: 'api' }, exposureEventId(outcomeId(1), 'api'));
    const [decided] = exposureDecider.decide({ event }, exposureDecider.initialState());
    expect(exposureDecider.decide({ event }, exposureDecider.evolve(exposureDecider.initialState(), decided!))).toEqual([]);
  });

  it('counts an outcome once per lesson with no outcome documents, as the v1 fold does', () => {
    const v2 = given(lessonEffects, log(EXPOSURES));
    expect(Object.keys(v2.documents).filter((k) => k.startsWith('outcome:'))).toEqual([]);
    expect(Object.keys(v1.documents).filter((k) => k.startsWith('outcome:'))).toHaveLength(2);
    expect(canonical(v2.documents)).toBe(canonical(lessonDocuments(v1.documents)));
    expect(canonical(v2.rows(LESSON_EVIDENCE_TABLE))).toBe(canonical(v1.rows(LESSON_EVIDENCE_TABLE)));
    expect(v2.document('id:a')).toMatchObject({ outcomes: 2 });
    expect(v2.document('id:c')).toMatchObject({ outcomes: 1, infraErrorsExcluded: 2 });
  });

  it.each([1, 2, 3, 5])('a v1 log continued in v2 after event %i gives the same documents and evidence', (v2From) => {
    const mixed = given(lessonEffects, log(EXPOSURES, v2From));
    expect(canonical(lessonDocuments(mixed.documents))).toBe(canonical(lessonDocuments(v1.documents)));
    expect(canonical(mixed.rows(LESSON_EVIDENCE_TABLE))).toBe(canonical(v1.rows(LESSON_EVIDENCE_TABLE)));
  });

  it('the sessions world written as v2 gives the estimates of its v1 log', () => {
    const world = simulateSessionsWorld({ ...DEFAULT_SESSIONS_WORLD, seed: 3, sessions: 1500, lessons: 24, holdoutRate: 0.2 });
    const asV2 = log(world.events.map((e) => e.data as LessonExposureRecordedData)).map((e, i) => ({ ...world.events[i]!, schemaVersion: 2, data: e.data }) as RecordedEvent);
    expect(asV2.every((e) => (e.data as LessonExposureRecordedData).namedEarlier !== undefined)).toBe(true);
    expect(canonical([...foldLessonEffects(asV2)])).toBe(canonical([...foldLessonEffects(world.events)]));
    expect(canonical([...foldLessonEffects(asV2, {}, 100)])).toBe(canonical([...foldLessonEffects(asV2)]));
  });
});
