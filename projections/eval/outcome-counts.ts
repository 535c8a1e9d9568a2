/**
 * Pass/fail counts per (model, tool format, test), with the latest run. The reference `changes` projection:
 * the rebuild benchmark and the engine's crash tests use it.
 */
import { z } from 'zod';
import type { RecordedEvent } from '../../contracts/envelope.js';
import type { TestOutcomeRecordedData } from '../../contracts/eval.js';
import { increment, latest, type ReadModelChange } from '../machinery/read-model-changes.js';
import { defineChangesProjection, perEvent } from '../machinery/projection.js';

export const OUTCOME_COUNTS_TABLE = 'outcome_counts';

/** tool_format is part of the key, so "no format" is stored as this instead of NULL. */
export const NO_TOOL_FORMAT = '';

const outcomeCountsRules = z.strictObject({
  /** false: a suspected infrastructure error is counted in infra_errors only, not as a fail. */
  countSuspectedInfraErrorsAsFails: z.boolean(),
});
export type OutcomeCountsRules = z.infer<typeof outcomeCountsRules>;

/** One row of `outcome_counts` as the engine writes it (plus `instance_id`). */
export interface OutcomeCountsRow {
  model: string;
  tool_format: string;
  test: string;
  passes: number;
  fails: number;
  infra_errors: number;
  last_run_id: string | null;
  last_run_at: Date | string | null;
  last_passed: boolean | null;
}

function outcomeChanges(event: RecordedEvent, rules: OutcomeCountsRules): ReadModelChange<typeof OUTCOME_COUNTS_TABLE>[] {
  const outcome = event.data as TestOutcomeRecordedData;
  const key = { model: outcome.model, tool_format: outcome.toolFormat ?? NO_TOOL_FORMAT, test: outcome.test };
  const by: Record<string, number> = {};
  if (outcome.passed) by.passes = 1;
  else if (!outcome.suspectedInfraError) by.fails = 1;
  else {
    by.infra_errors = 1;
    if (rules.countSuspectedInfraErrorsAsFails) by.fails = 1;
  }
  return [
    increment(OUTCOME_COUNTS_TABLE, key, by),
    latest(OUTCOME_COUNTS_TABLE, key, 'last_run_at', {
      last_run_at: event.metadata.occurredAt,
      last_run_id: outcome.runId,
      last_passed: outcome.passed,
    }),
  ];
}

export const outcomeCounts = defineChangesProjection({
  name: 'outcome-counts',
  version: 1,
  description: 'Passes, fails and suspected infra errors per (model, tool format, test), with the latest run.',
  oneSegmentBecause:
    'the engine\'s single-unit reference (crash, takeover and rebuild specs and benches); its rows partition by model, format and test like test-history\'s',
  eventTypes: ['TestOutcomeRecorded'],
  defaultRules: { countSuspectedInfraErrorsAsFails: false } as OutcomeCountsRules,
  parseRules: (merged) => outcomeCountsRules.parse(merged),
  tables: {
    [OUTCOME_COUNTS_TABLE]: {
      key: { model: 'text', tool_format: 'text', test: 'text' },
      columns: {
        passes: 'int8',
        fails: 'int8',
        infra_errors: 'int8',
        last_run_id: 'text',
        last_run_at: 'timestamptz',
        last_passed: 'bool',
      },
      indexes: [['test']],
    },
  },
  project: perEvent(outcomeChanges),
});
