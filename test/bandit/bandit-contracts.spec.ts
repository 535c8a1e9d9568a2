/** The bandit catalogue's additions: SessionRewardObserved v2 (fromOutcomes) beside v1, LessonFlaggedForMutation. */
import { randomUUID } from 'node:crypto';
import { EventValidationError, newEvent, upcast, validateNewEvent } from '../../contracts/catalogue.js';

const metadata = { occurredAt: '2026-01-01T00:00:00Z', source: 'test' };
const outcome = { eventId: randomUUID(), globalPosition: '42', runId: 'r', test: 't', model: 'm', passed: true, suspectedInfraError: false };
const issuesOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof EventValidationError) return error.issues.map((i) => i.path);
    throw error;
  }
  throw new Error('expected an EventValidationError');
};

describe('bandit events in the catalogue', () => {
  it('SessionRewardObserved v1 stays readable and upcasts unchanged to v2', () => {
    const v1 = { eventId: randomUUID(), type: 'SessionRewardObserved', schemaVersion: 1, data: { sessionId: 's', reward: 0.5 }, metadata };
    expect(validateNewEvent(v1).schemaVersion).toBe(1);
    expect(upcast(v1)).toMatchObject({ schemaVersion: 2, data: { sessionId: 's', reward: 0.5 } });
    // v1 knows no fromOutcomes.
    expect(issuesOf(() => validateNewEvent({ ...v1, data: { ...v1.data, fromOutcomes: { outcomes: [outcome], counted: 1, passed: 1, infraErrorsExcluded: 0 } } }))).toEqual(['data.fromOutcomes']);
  });

  it('v2 records the outcomes a reward was computed from, with global positions as decimal strings', () => {
    const fromOutcomes = { outcomes: [outcome], counted: 1, passed: 1, infraErrorsExcluded: 0 };
    expect(newEvent('SessionRewardObserved', { sessionId: 's', reward: 1, fromOutcomes }, metadata).schemaVersion).toBe(2);
    expect(issuesOf(() => newEvent('SessionRewardObserved', { sessionId: 's', reward: 1, fromOutcomes: { ...fromOutcomes, outcomes: [{ ...outcome, globalPosition: 'x' }] } }, metadata))).toEqual([
      'data.fromOutcomes.outcomes[0].globalPosition',
    ]);
    expect(issuesOf(() => newEvent('SessionRewardObserved', { sessionId: 's', reward: 1, fromOutcomes: { ...fromOutcomes, outcomes: [] } }, metadata))).toEqual(['data.fromOutcomes.outcomes']);
  });

  it('LessonFlaggedForMutation is decided by the policy, with a known reason and evidence', () => {
    const data = {
      lessonId: 'l',
      reason: 'stalled-middle-band' as const,
      explanation: 'mean 0.5 after 40 rewards',
      decidedBy: 'policy' as const,
      ruleSetId: 'sim',
      ruleSetVersion: 1,
      evidence: { numbers: { mean: 0.5 }, eventIds: [randomUUID()], globalPositions: ['7'], rule: 'flag-stalled-middle-band' },
    };
    expect(newEvent('LessonFlaggedForMutation', data, metadata).data).toEqual(data);
    expect(issuesOf(() => newEvent('LessonFlaggedForMutation', { ...data, decidedBy: 'human' as never }, metadata))).toEqual(['data.decidedBy']);
    expect(issuesOf(() => newEvent('LessonFlaggedForMutation', { ...data, reason: 'boring' as never }, metadata))).toEqual(['data.reason']);
  });
});
