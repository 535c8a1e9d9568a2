/** Exposure events and LessonArmsSampled v2: what is valid, the deterministic id, the v1 upcaster. */
import {
  LessonArmsSampledSchema,
  LessonArmsSampledV1Schema,
  upcastLessonArmsSampledV1,
} from '../../contracts/bandit.js';
import { currentVersionOf, upcast, validateNewEvent } from '../../contracts/catalogue.js';
import { exposureEventId, LessonExposureRecordedSchema, LessonExposureRecordedV1Schema } from '../../contracts/exposure.js';

const outcome = {
  eventId: '0b7c3a52-3f0e-4b4e-9a51-0f6f0f7b1d11',
  globalPosition: '17',
  runId: '20260101_000000Z',
  test: 'hello',
  model: 'm1',
  passed: true,
  suspectedInfraError: false,
};
const exposure = {
  outcome,
  category: 'code',
  sessionId: 's1',
  injected: [{ lessonId: 'a', revision: 2, propensity: 0.54, holdoutRate: 0.1 }],
  withheld: [
    { lessonId: 'b', withheldBy: 'coin', holdoutRate: 0.1, propensity: 0.45 },
    { path: 'lessons/tools/c.md', withheldBy: 'cap' },
    { lessonId: 'd', withheldBy: 'unknown' },
  ],
};

function issuePaths(schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { path: PropertyKey[] }[] } } }, value: unknown): string[] {
  const result = schema.safeParse(value);
  return (result.error?.issues ?? []).map((i) => i.path.join('.'));
}

describe('LessonExposureRecorded', () => {
  it('accepts injected and withheld lessons by id or path, with their withheldBy', () => {
    expect(issuePaths(LessonExposureRecordedSchema, exposure)).toEqual([]);
    expect(currentVersionOf('LessonExposureRecorded')).toBe(2);
  });

  it('v2 names what earlier exposures of the outcome named; a v1 event reads as v2 without it (not known)', () => {
    const namedEarlier = [{ lessonId: 'a', revision: 1 }, { path: 'lessons/tools/c.md' }];
    expect(issuePaths(LessonExposureRecordedSchema, { ...exposure, namedEarlier })).toEqual([]);
    expect(issuePaths(LessonExposureRecordedSchema, { ...exposure, namedEarlier: [{ lessonId: 'a', path: 'a.md' }] })).toEqual(['namedEarlier.0']);
    expect(issuePaths(LessonExposureRecordedSchema, { ...exposure, namedEarlier: [{ lessonId: 'a', withheldBy: 'cap' }] })).toEqual(['namedEarlier.0']);
    expect(issuePaths(LessonExposureRecordedV1Schema, { ...exposure, namedEarlier })).toEqual(['']);
    const lifted = upcast({ type: 'LessonExposureRecorded', schemaVersion: 1, data: exposure });
    expect(lifted).toEqual({ type: 'LessonExposureRecorded', schemaVersion: 2, data: exposure });
    expect(issuePaths(LessonExposureRecordedSchema, lifted.data)).toEqual([]);
  });

  it.each([
    ['both an id and a path', { injected: [{ lessonId: 'a', path: 'a.md' }] }, 'injected.0'],
    ['neither an id nor a path', { withheld: [{ withheldBy: 'cap' }] }, 'withheld.0'],
    ['a coin without its rate', { withheld: [{ lessonId: 'b', withheldBy: 'coin' }] }, 'withheld.0.holdoutRate'],
    ['an unknown reason', { withheld: [{ lessonId: 'b', withheldBy: 'mood' }] }, 'withheld.0.withheldBy'],
    ['a lesson both injected and withheld', { withheld: [{ lessonId: 'a', withheldBy: 'cap' }] }, 'withheld.0'],
    ['a propensity above 1', { injected: [{ lessonId: 'a', propensity: 1.2 }] }, 'injected.0.propensity'],
    ['an outcome id that is no uuid', { outcome: { ...outcome, eventId: 'x' } }, 'outcome.eventId'],
  ])('refuses %s', (_label, patch, path) => {
    expect(issuePaths(LessonExposureRecordedSchema, { ...exposure, ...patch })).toContain(path);
  });

  it('has one id per (outcome, source): the same exposure sent again is the same event', () => {
    const id = exposureEventId(outcome.eventId, 'api');
    expect(exposureEventId(outcome.eventId, 'api')).toBe(id);
    expect(exposureEventId(outcome.eventId, 'gptme-log')).not.toBe(id);
    expect(exposureEventId('1b7c3a52-3f0e-4b4e-9a51-0f6f0f7b1d11', 'api')).not.toBe(id);
  });
});

describe('LessonArmsSampled v2', () => {
  const v1 = {
    sessionId: 's1',
    context: { category: 'code' },
    candidates: [
      { lessonId: 'a', armKey: 'a', alpha: 3, beta: 1, theta: 0.8 },
      { lessonId: 'b', armKey: 'b', alpha: 1, beta: 1, theta: 0.3 },
    ],
    selected: ['a'],
    policy: { ruleSetId: 'x', version: 1 },
    seed: '42',
  };
  const v2 = {
    ...v1,
    candidates: v1.candidates.map((c, i) => ({ ...c, inclusionProbability: i === 0 ? 0.93 : 0.07 })),
    selected: [],
    holdout: { rate: 0.1, coinSeed: 'server-coin', withheld: ['a'] },
    inclusion: { method: 'monte-carlo', draws: 2000, seed: 'server-coin' },
  };

  it('records what the coin withheld, its seed and rate, and each inclusion probability', () => {
    expect(issuePaths(LessonArmsSampledSchema, v2)).toEqual([]);
    expect(currentVersionOf('LessonArmsSampled')).toBe(2);
  });

  it.each([
    ['a withheld lesson that is no candidate', { holdout: { ...v2.holdout, withheld: ['z'] } }, 'holdout.withheld.0'],
    ['a lesson both selected and withheld', { selected: ['a'] }, 'holdout.withheld.0'],
    ['a coin with no seed', { holdout: { ...v2.holdout, coinSeed: null } }, 'holdout.coinSeed'],
    ['a rate above 1', { holdout: { ...v2.holdout, rate: 1.5 } }, 'holdout.rate'],
  ])('refuses %s', (_label, patch, path) => {
    expect(issuePaths(LessonArmsSampledSchema, { ...v2, ...patch })).toContain(path);
  });

  it('v1-shaped input is still valid v2 input (no coin: rate 0, nothing withheld)', () => {
    expect(LessonArmsSampledSchema.parse(v1).holdout).toEqual({ rate: 0, coinSeed: null, withheld: [] });
  });

  it('upcasts stored v1 events to v2 with no coin and no inclusion probabilities', () => {
    expect(issuePaths(LessonArmsSampledV1Schema, v1)).toEqual([]);
    const lifted = upcast({ type: 'LessonArmsSampled', schemaVersion: 1, data: v1 });
    expect(lifted.schemaVersion).toBe(2);
    expect(lifted.data).toEqual({ ...v1, holdout: { rate: 0, coinSeed: null, withheld: [] } });
    expect(lifted.data).toEqual(upcastLessonArmsSampledV1(v1));
    expect(issuePaths(LessonArmsSampledSchema, lifted.data)).toEqual([]);
    const stored = validateNewEvent({ eventId: outcome.eventId, type: 'LessonArmsSampled', schemaVersion: 1, data: v1, metadata: { occurredAt: '2026-01-01T00:00:00Z', source: 'test' } });
    expect(stored.data).not.toHaveProperty('holdout');
  });
});
