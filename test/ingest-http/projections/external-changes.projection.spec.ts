import { externalChanges } from '../../../projections/domain-changes/external-changes.js';
import { given } from '../../../projections/machinery/testing.js';

describe('external-changes projection', () => {
  it('writes one row per change with world time and record time', () => {
    const then = given(externalChanges, [
      {
        type: 'ExternalChangeObserved',
        eventId: '55555555-5555-4555-8555-555555555555',
        data: { changeId: 'c1', kind: 'model-api', subject: 'openai/gpt-4o', description: 'Provider updated the snapshot' },
        metadata: { occurredAt: '2026-03-01T00:00:00Z', source: 'api', actor: 'ci' },
      },
      { type: 'EvalRunRecorded', data: {} },
      {
        type: 'ExternalChangeObserved',
        data: { changeId: 'c0', kind: 'harness', subject: 'gptme', description: 'v0.33.0' },
        metadata: { occurredAt: '2026-02-01T00:00:00Z' },
      },
    ]);
    expect(then.rows('external_changes')).toEqual([
      {
        change_id: 'c0',
        kind: 'harness',
        subject: 'gptme',
        description: 'v0.33.0',
        occurred_at: '2026-02-01T00:00:00Z',
        recorded_at: new Date('2026-01-01T00:00:02.000Z'),
        source: 'test',
        actor: null,
        event_id: '00000000-0000-4000-8000-000000000003',
        global_position: 3n,
      },
      expect.objectContaining({ change_id: 'c1', kind: 'model-api', actor: 'ci', occurred_at: '2026-03-01T00:00:00Z', global_position: 1n }),
    ]);
  });
});
