import type { EvalRunRecordedData, TestOutcomeRecordedData } from '../../../contracts/eval.js';
import { evalRuns } from '../../../projections/eval/eval-runs.js';
import { given, type GivenEvent } from '../../../projections/machinery/testing.js';

function runEvent(data: Partial<EvalRunRecordedData> = {}): GivenEvent {
  return {
    type: 'EvalRunRecorded',
    eventId: '11111111-1111-4111-8111-111111111111',
    data: {
      runId: 'r1',
      startedAt: '2026-08-22T02:50:22.000Z',
      source: 'api',
      counts: { outcomes: 2, passed: 1, failed: 1, suspectedInfraErrors: 1 },
      models: ['m'],
      ...data,
    },
  };
}

function outcomeEvent(eventId: string, data: Partial<TestOutcomeRecordedData> = {}): GivenEvent {
  return {
    type: 'TestOutcomeRecorded',
    eventId,
    data: {
      runId: 'r1',
      test: 'hello',
      model: 'm',
      rawModel: 'm@tool',
      toolFormat: 'tool',
      occurrence: 0,
      passed: true,
      suspectedInfraError: false,
      ...data,
    },
  };
}

describe('eval-runs projection', () => {
  it('writes one summary row per run', () => {
    const then = given(evalRuns, [runEvent({ suite: 'default', harnessCommits: ['v0.33.0'] })]);
    expect(then.rows('eval_runs')).toEqual([
      {
        run_id: 'r1',
        started_at: '2026-08-22T02:50:22.000Z',
        source: 'api',
        suite: 'default',
        outcomes: 2,
        passed: 1,
        failed: 1,
        suspected_infra_errors: 1,
        models: ['m'],
        harness_commits: ['v0.33.0'],
        event_id: '11111111-1111-4111-8111-111111111111',
        global_position: 1n,
        recorded_at: new Date('2026-01-01T00:00:00.000Z'),
      },
    ]);
  });

  it('writes one row per outcome with its data, in stream order', () => {
    const failed = { passed: false, suspectedInfraError: true, test: 'hello-patch', durations: { total: 1, generation: 1, run: 0, eval: 0 } };
    const then = given(evalRuns, [
      runEvent(),
      outcomeEvent('22222222-2222-4222-8222-222222222222'),
      outcomeEvent('33333333-3333-4333-8333-333333333333', failed),
    ]);
    const rows = then.rows('eval_run_outcomes');
    expect(rows.map((r) => [r.test, r.passed, r.suspected_infra_error, r.global_position])).toEqual([
      ['hello', true, false, 2n],
      ['hello-patch', false, true, 3n],
    ]);
    expect(rows[1]).toMatchObject({ run_id: 'r1', model: 'm', raw_model: 'm@tool', tool_format: 'tool', occurrence: 0 });
    expect(rows[1]!.data).toMatchObject(failed);
    expect(then.rows('eval_runs')).toHaveLength(1);
  });

  it('ignores other events and keeps runs apart', () => {
    const then = given(evalRuns, [
      runEvent(),
      { type: 'ExternalChangeObserved', data: { changeId: 'c', kind: 'other', subject: 's', description: 'd' } },
      { ...runEvent({ runId: 'r2', models: undefined }), eventId: '44444444-4444-4444-8444-444444444444' },
    ]);
    expect(then.rows('eval_runs').map((r) => [r.run_id, r.models])).toEqual([
      ['r1', ['m']],
      ['r2', []],
    ]);
  });
});
