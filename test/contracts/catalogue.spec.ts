import {
  EVENT_TYPES,
  EventValidationError,
  catalogueUpcasting,
  currentVersionOf,
  eventDefinitions,
  isEventOfType,
  newEvent,
  upcast,
  upcastingOf,
  validateNewEvent,
} from '../../contracts/catalogue.js';
import type { NewEvent } from '../../contracts/envelope.js';
import { defineEvent, upcaster } from '../../contracts/event-definition.js';
import { TestOutcomeRecorded } from '../../contracts/eval.js';
import { metadata, outcomeV1, outcomeV2 } from './fixtures.js';

const EVENT_ID = '0b7c3a52-3f0e-4b4e-9a51-0f6f0f7b1d11';

function outcomeEvent(overrides: Record<string, unknown> = {}): NewEvent {
  return { eventId: EVENT_ID, type: 'TestOutcomeRecorded', schemaVersion: 2, data: outcomeV2(), metadata, ...overrides };
}

function validationError(event: unknown): EventValidationError {
  try {
    validateNewEvent(event as NewEvent);
  } catch (error) {
    if (error instanceof EventValidationError) return error;
    throw error;
  }
  throw new Error('expected an EventValidationError');
}

describe('the catalogue', () => {
  it('registers every event type of the issue', () => {
    expect([...EVENT_TYPES].sort()).toEqual(
      [
        'TestOutcomeRecorded',
        'EvalRunRecorded',
        'ExternalChangeObserved',
        'LessonCreated',
        'LessonEdited',
        'LessonMatchChanged',
        'LessonStatusChanged',
        'LessonMutated',
        'LessonMoved',
        'LessonDeleted',
        'LessonArmsSampled',
        'SessionRewardObserved',
        'LessonFlaggedForMutation',
        'RuleSetDefined',
        'LessonExposureRecorded',
        'ProjectionEventSkipped',
        'FailureSignaturesRecorded',
        'LessonDraftProposed',
        'LessonDraftAccepted',
        'LessonDraftRejected',
        'WebhookSubscribed',
        'WebhookUnsubscribed',
      ].sort(),
    );
    expect(currentVersionOf('TestOutcomeRecorded')).toBe(2);
    expect(currentVersionOf('LessonCreated')).toBe(2);
  });
});

describe('validateNewEvent', () => {
  it('returns a valid event with only the envelope fields', () => {
    const recorded = { ...outcomeEvent(), streamId: 'run-1', globalPosition: 5n };
    expect(validateNewEvent(recorded)).toEqual(outcomeEvent());
  });

  it('names the event type and the exact field path in its message', () => {
    const data = outcomeV2();
    const error = validationError(outcomeEvent({ data: { ...data, tokens: { ...data.tokens, input: '1200' } } }));
    expect(error.message).toBe('TestOutcomeRecorded.data.tokens.input: expected number, received string');
    expect(error.issues).toEqual([{ path: 'data.tokens.input', message: 'expected number, received string' }]);
    expect(error.eventType).toBe('TestOutcomeRecorded');
    expect(error.eventId).toBe(EVENT_ID);
    expect(error.name).toBe('EventValidationError');
  });

  it('lists every failing field, with array indices and unknown fields', () => {
    const error = validationError(
      outcomeEvent({
        data: { ...outcomeV2(), passed: 1, cases: [{ name: 'x', passed: true, durationS: -1 }], tokensIn: 3 },
      }),
    );
    expect(error.issues.map((i) => i.path).sort()).toEqual(['data.cases[0].durationS', 'data.passed', 'data.tokensIn']);
    expect(error.issues.find((i) => i.path === 'data.tokensIn')?.message).toBe('unknown field');
    expect(error.message).toContain('TestOutcomeRecorded.data.cases[0].durationS: ');
  });

  it('shortens the message but keeps every issue when many fields fail', () => {
    const error = validationError(
      outcomeEvent({ data: { runId: 1, test: 2, model: 3, rawModel: 4, toolFormat: 5, occurrence: 'x', passed: 'y' } }),
    );
    expect(error.issues.length).toBeGreaterThan(5);
    expect(error.message).toMatch(/\(and \d+ more\)$/);
  });

  it.each([
    ['an eventId that is not a uuid', { eventId: 'evt-1' }, 'eventId'],
    ['a missing eventId', { eventId: undefined }, 'eventId'],
    ['a schemaVersion of 0', { schemaVersion: 0 }, 'schemaVersion'],
    ['an occurredAt without a time zone', { metadata: { ...metadata, occurredAt: '2026-08-22T02:50:22' } }, 'metadata.occurredAt'],
    ['an occurredAt that is not a date', { metadata: { ...metadata, occurredAt: 'yesterday' } }, 'metadata.occurredAt'],
    ['an empty source', { metadata: { ...metadata, source: '' } }, 'metadata.source'],
    ['a non-string correlationId', { metadata: { ...metadata, correlationId: 7 } }, 'metadata.correlationId'],
    ['a non-string actor', { metadata: { ...metadata, actor: {} } }, 'metadata.actor'],
    ['a misspelled metadata field', { metadata: { ...metadata, occuredAt: 'x' } }, 'metadata.occuredAt'],
    ['missing metadata', { metadata: undefined }, 'metadata'],
  ])('refuses %s', (_name, overrides, path) => {
    const error = validationError(outcomeEvent(overrides));
    expect(error.issues.map((i) => i.path)).toContain(path);
    expect(error.message).toContain(`TestOutcomeRecorded.${path}: `);
  });

  it('accepts the optional metadata fields and an offset instant', () => {
    const full = { ...metadata, occurredAt: '2026-08-22T04:50:22.123+02:00', correlationId: 'c', causationId: 'd', actor: 'erik' };
    expect(validateNewEvent(outcomeEvent({ metadata: full })).metadata).toEqual(full);
  });

  it('refuses an unknown event type', () => {
    const error = validationError(outcomeEvent({ type: 'TestOutcomeRecordd' }));
    expect(error.message).toBe('TestOutcomeRecordd.type: unknown event type "TestOutcomeRecordd"');
  });

  it('refuses an unknown version and accepts a known older one', () => {
    expect(validationError(outcomeEvent({ schemaVersion: 3 })).message).toBe(
      'TestOutcomeRecorded.schemaVersion: unknown version 3 (known: 1, 2)',
    );
    expect(validateNewEvent(outcomeEvent({ schemaVersion: 1, data: outcomeV1() })).schemaVersion).toBe(1);
    // v2 data under a v1 label is refused: the data must match the version it claims.
    expect(validationError(outcomeEvent({ schemaVersion: 1 })).issues.map((i) => i.path).sort()).toEqual([
      'data.occurrence',
      'data.rawModel',
    ]);
  });

  it('refuses something that is not an event at all', () => {
    expect(validationError(null).eventType).toBe('<event>');
    expect(validationError('x').issues.length).toBeGreaterThan(0);
  });
});

describe('upcast', () => {
  it('returns current and unknown-type events unchanged (the same object)', () => {
    const current = outcomeEvent();
    expect(upcast(current)).toBe(current);
    const foreign = { ...outcomeEvent(), type: 'SomethingNewer', schemaVersion: 7, data: { x: 1 } };
    expect(upcast(foreign)).toBe(foreign);
  });

  it('passes through a version newer than this code knows', () => {
    const future = outcomeEvent({ schemaVersion: 3, data: { whatever: true } });
    expect(upcast(future)).toBe(future);
  });

  it('keeps the store fields of a recorded event while lifting its data', () => {
    const recorded = { ...outcomeEvent({ schemaVersion: 1, data: outcomeV1() }), streamId: 's', globalPosition: 9n };
    const read = upcast(recorded);
    expect(read).toMatchObject({ streamId: 's', globalPosition: 9n, schemaVersion: 2, data: { occurrence: 0 } });
    expect(recorded.schemaVersion).toBe(1);
  });

  it('upcastingOf other definitions lifts through them and leaves the catalogue as it is', () => {
    const v3 = defineEvent('TestOutcomeRecorded', 3, TestOutcomeRecorded.schema, {
      schemas: { 1: TestOutcomeRecorded.schemas[1]!, 2: TestOutcomeRecorded.schema },
      upcasters: { 1: TestOutcomeRecorded.upcasters[1]!, 2: upcaster((data: Record<string, unknown>) => ({ ...data, lifted: true })) },
    });
    const withV3 = upcastingOf(eventDefinitions.map((d) => (d.type === v3.type ? v3 : d)));
    const stored = outcomeEvent({ schemaVersion: 1, data: outcomeV1() });
    expect(withV3.currentVersion('TestOutcomeRecorded')).toBe(3);
    expect(withV3.upcast(stored)).toMatchObject({ schemaVersion: 3, data: { occurrence: 0, lifted: true } });
    expect(withV3.currentVersion('SomethingNewer')).toBeUndefined();
    expect(catalogueUpcasting.currentVersion('TestOutcomeRecorded')).toBe(2);
    expect(catalogueUpcasting.upcast(stored)).toEqual(upcast(stored));
    expect(upcast(stored).data).not.toHaveProperty('lifted');
  });
});

describe('newEvent and isEventOfType', () => {
  it('fills defaults, draws a random uuid, and narrows by type', () => {
    const event = newEvent(
      'LessonMatchChanged',
      { lessonId: 'l1', added: { keywords: ['git push'] }, removed: {}, decidedBy: 'human' },
      metadata,
    );
    expect(event.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.data.added).toEqual({ keywords: ['git push'], patterns: [], tools: [], sessionCategories: [] });
    const asAny: NewEvent = event;
    expect(isEventOfType(asAny, 'LessonMatchChanged') && asAny.data.removed.tools).toEqual([]);
    expect(isEventOfType(asAny, 'LessonCreated')).toBe(false);
  });
});
