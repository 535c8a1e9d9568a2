/** A test's outcomes for a model from the `test-history` instance, with the changes between consecutive outcomes. */
import { Injectable } from '@nestjs/common';
import { formatLabel } from '../../../projections/eval/leaderboard-grouping.js';
import { testHistory, TEST_HISTORY_TABLE, type TestHistoryRow } from '../../../projections/eval/test-history.js';
import { EvalReadState } from './eval-read-state.js';
import type { TimeWindow } from './leaderboard-reader.js';

export interface HistoryEntry {
  runId: string;
  occurredAt: string;
  model: string;
  format: string;
  rawModel: string;
  suite: string | null;
  occurrence: number;
  passed: boolean;
  suspectedInfraError: boolean;
  costUsd: number | null;
  tokens: number | null;
  /** Against the previous outcome that was not a suspected infra error. */
  change: 'regression' | 'improvement' | null;
  /** Passes / outcomes (infra errors left out) up to and including this one. */
  passRateSoFar: number | null;
  /** Opaque: pass back as `cursor` to continue after this entry. */
  orderKey: string;
}

@Injectable()
export class HistoryReader {
  constructor(private readonly shared: EvalReadState) {}

  /** Every outcome of (model, test), newest first, with the changes between consecutive outcomes. */
  async testHistory(model: string, test: string, options: TimeWindow & { format?: string; suite?: string }): Promise<HistoryEntry[]> {
    const state = await this.shared.state(testHistory.name);
    const params: unknown[] = [state.instanceId, model, test];
    // `raw_model = $2` said so that both indexes serve it: a raw model differs from its parsed model only when it
    // ends in @<tool format>, and then it is its own gptme key.
    const where = ['instance_id = $1', '(model = $2 OR (gptme_key = $2 AND raw_model = $2))', 'test = $3'];
    if (options.format !== undefined) where.push(`tool_format = $${params.push(options.format === 'default' ? '' : options.format)}`);
    if (options.suite !== undefined) where.push(`suite = $${params.push(options.suite)}`);
    const rows = (await this.shared.dataSource.query(
      `SELECT * FROM ${TEST_HISTORY_TABLE} WHERE ${where.join(' AND ')} ORDER BY order_key`,
      params,
    )) as TestHistoryRow[];
    const out: HistoryEntry[] = [];
    let previous: boolean | null = null;
    let passes = 0;
    let counted = 0;
    for (const row of rows) {
      const infra = !row.passed && row.suspected_infra_error;
      let change: HistoryEntry['change'] = null;
      if (!infra) {
        if (previous === true && !row.passed) change = 'regression';
        if (previous === false && row.passed) change = 'improvement';
        previous = row.passed;
        counted += 1;
        if (row.passed) passes += 1;
      }
      out.push({
        runId: row.run_id,
        occurredAt: new Date(row.occurred_at).toISOString(),
        model: row.model,
        format: formatLabel(row.tool_format),
        rawModel: row.raw_model,
        suite: row.suite || null,
        occurrence: row.occurrence,
        passed: row.passed,
        suspectedInfraError: row.suspected_infra_error,
        costUsd: row.cost_known ? Number(row.cost_usd) : null,
        tokens: row.tokens_known ? Number(row.tokens_total) : null,
        change,
        passRateSoFar: counted > 0 ? passes / counted : null,
        orderKey: row.order_key,
      });
    }
    const from = options.from ? new Date(options.from).toISOString() : undefined;
    const to = options.to ? new Date(options.to).toISOString() : undefined;
    return out.filter((e) => (from === undefined || e.occurredAt >= from) && (to === undefined || e.occurredAt < to)).reverse();
  }
}
