import { upcast, validateNewEvent, newEvent, EventValidationError } from '../../contracts/catalogue.js';
import type { NewEvent } from '../../contracts/envelope.js';
import {
  EvalRunRecorded,
  EvalRunRecordedSchema,
  TestOutcomeRecorded,
  TestOutcomeRecordedSchema,
  TestOutcomeRecordedV1Schema,
  upcastTestOutcomeRecordedV1,
} from '../../contracts/eval.js';
import { metadata, outcomeV1, outcomeV2 } from './fixtures.js';

const EVENT_ID = '0b7c3a52-3f0e-4b4e-9a51-0f6f0f7b1d11';

function issuesOf(result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }): string[] {
  return (result.error?.issues ?? []).map((i) => i.path.join('.'));
}

describe('TestOutcomeRecorded', () => {
  it('is at version 2 with a v1 schema and a v1 -> v2 upcaster', () => {
    expect(TestOutcomeRecorded.currentVersion).toBe(2);
    expect(Object.keys(TestOutcomeRecorded.schemas).sort()).toEqual(['1', '2']);
    expect(typeof TestOutcomeRecorded.upcasters[1]).toBe('function');
  });

  it('accepts a full v2 outcome and a minimal one', () => {
    expect(TestOutcomeRecordedSchema.safeParse(outcomeV2()).success).toBe(true);
    const minimal = {
      runId: 'r',
      test: 't',
      model: 'm',
      rawModel: 'm',
      toolFormat: null,
      occurrence: 0,
      passed: false,
      suspectedInfraError: true,
    };
    expect(TestOutcomeRecordedSchema.safeParse(minimal).success).toBe(true);
  });

  it.each([
    ['a tool format outside markdown/xml/tool', { toolFormat: 'json' }, 'toolFormat'],
    ['a negative occurrence', { occurrence: -1 }, 'occurrence'],
    ['a fractional occurrence', { occurrence: 0.5 }, 'occurrence'],
    ['a score above its total', { score: { passed: 3, total: 2 } }, 'score.passed'],
    ['negative tokens', { tokens: { input: -1, output: 0, total: 0, cacheRead: 0, cacheCreation: 0 } }, 'tokens.input'],
    ['a cache hit rate above 1', { cacheHitRate: 1.2 }, 'cacheHitRate'],
    ['a negative cost', { costUsd: -0.01 }, 'costUsd'],
    ['a negative duration', { durations: { total: -1, generation: 0, run: 0, eval: 0 } }, 'durations.total'],
    ['a case without a name', { cases: [{ name: '', passed: true, durationS: 1 }] }, 'cases.0.name'],
    ['an empty model', { model: '' }, 'model'],
    ['a missing rawModel', { rawModel: undefined }, 'rawModel'],
    ['a missing suspectedInfraError', { suspectedInfraError: undefined }, 'suspectedInfraError'],
    ['a field that does not exist', { tokensIn: 3 }, ''],
  ])('refuses %s', (_name, overrides, path) => {
    const result = TestOutcomeRecordedSchema.safeParse({ ...outcomeV2(), ...overrides });
    expect(result.success).toBe(false);
    expect(issuesOf(result)).toContain(path);
  });

  it('v1 has no rawModel and no occurrence, and refuses them', () => {
    expect(TestOutcomeRecordedV1Schema.safeParse(outcomeV1()).success).toBe(true);
    expect(TestOutcomeRecordedV1Schema.safeParse(outcomeV2()).success).toBe(false);
  });

  it('upcasts v1 data: rawModel = model@format, occurrence = 0', () => {
    expect(upcastTestOutcomeRecordedV1(outcomeV1({ model: 'anthropic/claude-3-5-sonnet', toolFormat: 'xml' }))).toMatchObject({
      rawModel: 'anthropic/claude-3-5-sonnet@xml',
      occurrence: 0,
    });
    expect(upcastTestOutcomeRecordedV1(outcomeV1({ model: 'openrouter/z-ai/glm-5@z-ai', toolFormat: null }))).toMatchObject({
      rawModel: 'openrouter/z-ai/glm-5@z-ai',
      occurrence: 0,
    });
  });

  it('a stored v1 event is read back as a valid v2 event', () => {
    const stored: NewEvent = validateNewEvent({
      eventId: EVENT_ID,
      type: 'TestOutcomeRecorded',
      schemaVersion: 1,
      data: outcomeV1({ model: 'openai/gpt-4o', toolFormat: 'markdown' }),
      metadata,
    });
    expect(stored.schemaVersion).toBe(1);
    const read = upcast(stored);
    expect(read.schemaVersion).toBe(2);
    expect(read.eventId).toBe(EVENT_ID);
    expect(read.metadata).toEqual(metadata);
    expect(read.data).toEqual({ ...outcomeV1({ model: 'openai/gpt-4o', toolFormat: 'markdown' }), rawModel: 'openai/gpt-4o@markdown', occurrence: 0 });
    expect(TestOutcomeRecordedSchema.safeParse(read.data).success).toBe(true);
    expect(() => validateNewEvent(read)).not.toThrow();
  });

  it('newEvent builds a current-version event', () => {
    const event = newEvent('TestOutcomeRecorded', outcomeV2(), metadata, EVENT_ID);
    expect(event).toEqual({ eventId: EVENT_ID, type: 'TestOutcomeRecorded', schemaVersion: 2, data: outcomeV2(), metadata });
    expect(() => newEvent('TestOutcomeRecorded', { ...outcomeV2(), passed: 'yes' as unknown as boolean }, metadata)).toThrow(
      EventValidationError,
    );
  });
});

describe('EvalRunRecorded', () => {
  const run = {
    runId: '20260822_025022Z',
    startedAt: '2026-08-22T02:50:22Z',
    source: 'gptme-csv',
    counts: { outcomes: 10, passed: 7, failed: 3, suspectedInfraErrors: 1 },
    models: ['openai/gpt-4o'],
    harnessCommits: ['abc123'],
  };

  it('is version 1 and accepts a run', () => {
    expect(EvalRunRecorded.currentVersion).toBe(1);
    expect(EvalRunRecordedSchema.safeParse(run).success).toBe(true);
  });

  it.each([
    ['a startedAt without offset', { startedAt: '2026-08-22T02:50:22' }, 'startedAt'],
    ['a startedAt that is the folder name', { startedAt: '20260822_025022Z' }, 'startedAt'],
    ['counts that do not add up', { counts: { outcomes: 10, passed: 7, failed: 2, suspectedInfraErrors: 0 } }, 'counts'],
    ['more infra errors than failures', { counts: { outcomes: 10, passed: 9, failed: 1, suspectedInfraErrors: 2 } }, 'counts.suspectedInfraErrors'],
    ['an empty source', { source: '' }, 'source'],
  ])('refuses %s', (_name, overrides, path) => {
    const result = EvalRunRecordedSchema.safeParse({ ...run, ...overrides });
    expect(result.success).toBe(false);
    expect(issuesOf(result)).toContain(path);
  });
});
