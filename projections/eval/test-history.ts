/**
 * `test-history`: one row per test outcome with its run, event time and both groupings (our parsed
 * model/format and gptme's split of the raw strings). Behind `GET /models/:model/tests/:test/history`, the
 * leaderboard's time windows and as-of dates, and gptme trends with `--last N` / `--diff`.
 */
import type { RecordedEvent } from '../../contracts/envelope.js';
import { gptmeModelFormat, gptmeModelKey, NO_FORMAT, outcomeOf, outcomeOrderKey } from './leaderboard-grouping.js';
import { defineChangesProjection, perEvent, upsert, type ReadModelChange } from '../machinery/projection.js';
import { BY_MODEL_FORMAT_AND_TEST } from './outcome-segments.js';

export const TEST_HISTORY_TABLE = 'eval_test_history';

/** A row of `eval_test_history` (plus instance_id). */
export interface TestHistoryRow {
  event_id: string;
  model: string;
  tool_format: string;
  suite: string;
  test: string;
  raw_model: string;
  gptme_model: string;
  gptme_format: string;
  gptme_key: string;
  run_id: string;
  occurred_at: Date | string;
  order_key: string;
  occurrence: number;
  passed: boolean;
  suspected_infra_error: boolean;
  /** 0 when unknown: numeric read-model columns are NOT NULL; `cost_known` / `tokens_known` say which. */
  cost_usd: number;
  cost_known: boolean;
  tokens_total: number | string;
  tokens_known: boolean;
}

function historyRow(event: RecordedEvent): ReadModelChange<typeof TEST_HISTORY_TABLE>[] {
  const o = outcomeOf(event);
  const g = gptmeModelFormat(o.rawModel, o.toolFormat);
  return [
    upsert(TEST_HISTORY_TABLE, { event_id: event.eventId }, {
      model: o.model,
      tool_format: o.toolFormat ?? NO_FORMAT,
      suite: o.suite ?? '',
      test: o.test,
      raw_model: o.rawModel,
      gptme_model: g.model,
      gptme_format: g.format,
      gptme_key: gptmeModelKey(g.model, g.format),
      run_id: o.runId,
      occurred_at: new Date(event.metadata.occurredAt).toISOString(),
      order_key: outcomeOrderKey(event, o.runId),
      occurrence: o.occurrence,
      passed: o.passed,
      suspected_infra_error: o.suspectedInfraError,
      cost_usd: o.costUsd ?? 0,
      cost_known: o.costUsd !== undefined,
      tokens_total: o.tokens?.total ?? 0,
      tokens_known: o.tokens !== undefined,
    }),
  ];
}

export const testHistory = defineChangesProjection({
  name: 'test-history',
  version: 1,
  description: 'Every test outcome with its run, event time, parsed and gptme groupings',
  eventTypes: ['TestOutcomeRecorded'],
  defaultRules: {},
  segmentation: BY_MODEL_FORMAT_AND_TEST,
  tables: {
    [TEST_HISTORY_TABLE]: {
      key: { event_id: 'text' },
      columns: {
        model: 'text',
        tool_format: 'text',
        suite: 'text',
        test: 'text',
        raw_model: 'text',
        gptme_model: 'text',
        gptme_format: 'text',
        gptme_key: 'text',
        run_id: 'text',
        occurred_at: 'timestamptz',
        order_key: 'text',
        occurrence: 'int4',
        passed: 'bool',
        suspected_infra_error: 'bool',
        cost_usd: 'float8',
        cost_known: 'bool',
        tokens_total: 'int8',
        tokens_known: 'bool',
      },
      indexes: [['model', 'test', 'order_key'], ['gptme_key', 'test', 'order_key'], ['occurred_at']],
    },
  },
  project: perEvent(historyRow),
});
