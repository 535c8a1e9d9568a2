/**
 * Test-history rows back to the events they came from, as far as the leaderboard fold needs them: a time
 * window or an as-of date is answered by folding the rows of that window with the projection's own evolve.
 */
import type { RecordedEvent } from '../../../contracts/envelope.js';
import type { TestOutcomeRecordedData, ToolFormat } from '../../../contracts/eval.js';
import type { TestHistoryRow } from '../../../projections/eval/test-history.js';

export function historyRowToEvent(row: TestHistoryRow): RecordedEvent {
  const data: TestOutcomeRecordedData = {
    runId: row.run_id,
    ...(row.suite ? { suite: row.suite } : {}),
    test: row.test,
    model: row.model,
    toolFormat: row.tool_format === '' ? null : (row.tool_format as ToolFormat),
    passed: row.passed,
    ...(row.cost_known ? { costUsd: Number(row.cost_usd) } : {}),
    ...(row.tokens_known
      ? { tokens: { input: 0, output: 0, total: Number(row.tokens_total), cacheRead: 0, cacheCreation: 0 } }
      : {}),
    suspectedInfraError: row.suspected_infra_error,
    rawModel: row.raw_model,
    occurrence: row.occurrence,
  };
  const globalPosition = BigInt(row.order_key.slice(row.order_key.lastIndexOf('|') + 1));
  return {
    eventId: row.event_id,
    type: 'TestOutcomeRecorded',
    schemaVersion: 2,
    data,
    metadata: { occurredAt: new Date(row.occurred_at).toISOString(), source: 'test-history' },
    streamId: `eval-run-${row.run_id}`,
    streamRevision: 0n,
    position: { commit: 0n, prepare: globalPosition },
    globalPosition,
    recordedAt: new Date(row.occurred_at),
  };
}
