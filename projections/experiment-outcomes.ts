/**
 * `experiment-outcomes`: pass/fail counts per (model, test, hour of event time), infra errors left out. The
 * experiment analysis sums these over any before/after window, so a new rule set (another window) needs
 * no second pass over 1.45M outcome events.
 */
import type { RecordedEvent } from '../contracts/envelope.js';
import type { TestOutcomeRecordedData } from '../contracts/eval.js';
import { increment, type ReadModelChange } from './changes.js';
import { defineChangesProjection, perEvent } from './projection.js';

export const EXPERIMENT_OUTCOMES_TABLE = 'experiment_outcome_buckets';
type Table = typeof EXPERIMENT_OUTCOMES_TABLE;

export const HOUR_MS = 3_600_000;

/** Hours since the epoch (floor). */
export function hourOf(iso: string): number {
  return Math.floor(Date.parse(iso) / HOUR_MS);
}

export interface OutcomeBucket {
  model: string;
  test: string;
  hour: number;
  passed: number;
  failed: number;
}

export const experimentOutcomes = defineChangesProjection<Record<string, never>, Table>({
  name: 'experiment-outcomes',
  version: 1,
  description: 'Hourly pass/fail counts per model and test (infra errors excluded) for experiment windows',
  eventTypes: ['TestOutcomeRecorded'],
  defaultRules: {},
  tables: {
    [EXPERIMENT_OUTCOMES_TABLE]: {
      key: { model: 'text', test: 'text', hour: 'int4' },
      columns: { passed: 'int4', failed: 'int4' },
    },
  },
  project: perEvent((event: RecordedEvent): ReadModelChange<Table>[] => {
    const outcome = event.data as TestOutcomeRecordedData;
    if (outcome.suspectedInfraError) return [];
    const key = { model: outcome.model, test: outcome.test, hour: hourOf(event.metadata.occurredAt) };
    return [increment(EXPERIMENT_OUTCOMES_TABLE, key, outcome.passed ? { passed: 1 } : { failed: 1 })];
  }),
});
