/**
 * `eval-runs`: the read model behind `GET /eval-runs` and `GET /eval-runs/:runId`. One row per run (its
 * summary) and one per outcome (indexed columns for filtering plus the outcome's full data), written as the
 * events arrive. A run's events all live in one stream appended at once, so its rows appear together.
 */
import type { EvalRunRecordedData, TestOutcomeRecordedData } from '../../contracts/eval.js';
import type { RecordedEvent } from '../../contracts/envelope.js';
import { defineChangesProjection, perEvent, upsert, type ReadModelChange } from '../machinery/projection.js';

export const EVAL_RUNS_TABLE = 'eval_runs';
export const EVAL_RUN_OUTCOMES_TABLE = 'eval_run_outcomes';
type Table = typeof EVAL_RUNS_TABLE | typeof EVAL_RUN_OUTCOMES_TABLE;

export const evalRuns = defineChangesProjection<Record<string, never>, Table>({
  name: 'eval-runs',
  version: 1,
  description: 'Eval runs and their outcomes, for listing and reading runs back',
  oneSegmentBecause:
    'a run\'s summary row counts all of its outcomes; a split by run would keep it whole but is not declared (one row per outcome, cheap)',
  eventTypes: ['EvalRunRecorded', 'TestOutcomeRecorded'],
  defaultRules: {},
  tables: {
    [EVAL_RUNS_TABLE]: {
      key: { run_id: 'text' },
      columns: {
        started_at: 'timestamptz',
        source: 'text',
        suite: 'text',
        outcomes: 'int4',
        passed: 'int4',
        failed: 'int4',
        suspected_infra_errors: 'int4',
        /** string[] of model names (without format suffix). */
        models: 'jsonb',
        harness_commits: 'jsonb',
        event_id: 'text',
        global_position: 'int8',
        recorded_at: 'timestamptz',
      },
      indexes: [['started_at', 'run_id']],
    },
    [EVAL_RUN_OUTCOMES_TABLE]: {
      key: { run_id: 'text', event_id: 'text' },
      columns: {
        model: 'text',
        raw_model: 'text',
        tool_format: 'text',
        test: 'text',
        occurrence: 'int4',
        passed: 'bool',
        suspected_infra_error: 'bool',
        /** The outcome's TestOutcomeRecorded data as recorded (current version). */
        data: 'jsonb',
        /** Orders a run's outcomes as they were submitted. */
        global_position: 'int8',
      },
      indexes: [['model', 'run_id']],
    },
  },
  project: perEvent((event: RecordedEvent): ReadModelChange<Table>[] => {
    if (event.type === 'EvalRunRecorded') {
      const run = event.data as EvalRunRecordedData;
      return [
        upsert(EVAL_RUNS_TABLE, { run_id: run.runId }, {
          started_at: run.startedAt,
          source: run.source,
          suite: run.suite ?? null,
          outcomes: run.counts.outcomes,
          passed: run.counts.passed,
          failed: run.counts.failed,
          suspected_infra_errors: run.counts.suspectedInfraErrors,
          models: run.models ?? [],
          harness_commits: run.harnessCommits ?? [],
          event_id: event.eventId,
          global_position: event.globalPosition,
          recorded_at: event.recordedAt,
        }),
      ];
    }
    if (event.type === 'TestOutcomeRecorded') {
      const outcome = event.data as TestOutcomeRecordedData;
      return [
        upsert(EVAL_RUN_OUTCOMES_TABLE, { run_id: outcome.runId, event_id: event.eventId }, {
          model: outcome.model,
          raw_model: outcome.rawModel,
          tool_format: outcome.toolFormat,
          test: outcome.test,
          occurrence: outcome.occurrence,
          passed: outcome.passed,
          suspected_infra_error: outcome.suspectedInfraError,
          data: outcome,
          global_position: event.globalPosition,
        }),
      ];
    }
    return [];
  }),
});
