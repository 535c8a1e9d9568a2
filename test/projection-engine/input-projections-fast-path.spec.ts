/**
 * The fast paths of a rebuild give the same answers: the experiment inputs' (the last answer of `hourOf` /
 * `modelFamily` kept for the next call, counts incremented in place) whatever order the inputs come in, and
 * the JSON text of written documents (no replacer unless a bigint needs one).
 */
import type { TestOutcomeRecordedData } from '../../contracts/eval.js';
import { changeTimeline, modelFamily } from '../../projections/domain-changes/change-timeline.js';
import { experimentOutcomes, hourOf } from '../../projections/experiments/experiment-outcomes.js';
import { given, type GivenEvent } from '../../projections/machinery/testing.js';
import { toSqlText } from '../../src/projection-engine/schema/write-changes.js';

function outcome(model: string, test: string, passed: boolean, occurredAt: string, runId: string, harnessCommit?: string): GivenEvent {
  const data: TestOutcomeRecordedData = {
    runId,
    test,
    model,
    rawModel: model,
    toolFormat: 'tool',
    occurrence: 0,
    passed,
    suspectedInfraError: false,
    ...(harnessCommit ? { harnessCommit } : {}),
  };
  return { type: 'TestOutcomeRecorded', schemaVersion: 2, data, metadata: { occurredAt } };
}

const hour = (iso: string) => Math.floor(new Date(iso).getTime() / 3_600_000);

describe('experiment input projections, fast paths', () => {
  it('hourOf and modelFamily answer every input right when inputs alternate', () => {
    expect([hourOf('2026-01-01T00:30:00.000Z'), hourOf('2026-01-01T01:10:00.000Z'), hourOf('2026-01-01T00:30:00.000Z')]).toEqual([
      hour('2026-01-01T00:00:00.000Z'),
      hour('2026-01-01T01:00:00.000Z'),
      hour('2026-01-01T00:00:00.000Z'),
    ]);
    expect(hourOf('2025-12-31T23:59:59.999Z')).toBe(hour('2026-01-01T00:00:00.000Z') - 1);
    expect([modelFamily('openai/gpt-4o-2024-08-06'), modelFamily('sim/m'), modelFamily('openai/gpt-4o-2024-08-06')]).toEqual([
      'openai/gpt-4o',
      'sim/m',
      'openai/gpt-4o',
    ]);
  });

  it('counts per (hour, test) in day documents with interleaved models, hours and tests', () => {
    const events = [
      outcome('a', 't1', true, '2026-01-01T00:30:00.000Z', 'r1'),
      outcome('b', 't1', false, '2026-01-01T00:40:00.000Z', 'r2'),
      outcome('a', 't1', false, '2026-01-01T00:50:00.000Z', 'r1'),
      outcome('a', 't2', true, '2026-01-01T01:05:00.000Z', 'r1'),
      outcome('a', 't1', true, '2026-01-01T00:10:00.000Z', 'r1'),
      outcome('a', 't1', true, '2026-01-02T00:10:00.000Z', 'r3'),
    ];
    const h0 = hour('2026-01-01T00:00:00.000Z');
    const day0 = Math.floor(h0 / 24);
    expect(given(experimentOutcomes, events).documents).toEqual({
      [`a|${day0}`]: { model: 'a', day: day0, cells: { [`${h0}|t1`]: [2, 1], [`${h0 + 1}|t2`]: [1, 0] } },
      [`b|${day0}`]: { model: 'b', day: day0, cells: { [`${h0}|t1`]: [0, 1] } },
      [`a|${day0 + 1}`]: { model: 'a', day: day0 + 1, cells: { [`${h0 + 24}|t1`]: [1, 0] } },
    });
  });

  it('keeps model and family documents apart when versions of one family alternate', () => {
    const events = [
      outcome('openai/gpt-4o-2024-08-06', 't', true, '2026-01-01T00:00:00.000Z', 'r1', 'h1'),
      outcome('sim/m', 't', true, '2026-01-01T00:00:00.000Z', 'r1', 'h1'),
      outcome('openai/gpt-4o-2024-11-20', 't', true, '2026-01-02T00:00:00.000Z', 'r2', 'h1'),
      outcome('openai/gpt-4o-2024-08-06', 't', true, '2026-01-03T00:00:00.000Z', 'r3', 'h2'),
    ];
    const docs = given(changeTimeline, events).documents;
    expect(Object.keys(docs).sort()).toEqual([
      'family:openai/gpt-4o',
      'model:openai/gpt-4o-2024-08-06',
      'model:openai/gpt-4o-2024-11-20',
      'model:sim/m',
    ]);
    expect(docs['family:openai/gpt-4o']!.changes.map((c) => c.changeId)).toEqual(['model-version:openai/gpt-4o-2024-11-20']);
    expect(docs['model:openai/gpt-4o-2024-08-06']!.changes.map((c) => c.changeId)).toEqual([
      'harness-commit:openai/gpt-4o-2024-08-06:r3',
    ]);
    expect(docs['model:sim/m']!.changes).toEqual([]);
  });

  it('writes documents as JSON text, bigints (at any depth) as decimal strings', () => {
    expect(toSqlText('jsonb', { cells: { '1|t': [2, 1] }, at: '2026-01-01' })).toBe('{"cells":{"1|t":[2,1]},"at":"2026-01-01"}');
    expect(toSqlText('jsonb', { n: 12345678901234567890n, list: [1, 2n] } as never)).toBe('{"n":"12345678901234567890","list":[1,"2"]}');
  });
});
