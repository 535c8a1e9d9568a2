/** The gptme and default leaderboards from the `leaderboard` instance, or over a time window from `test-history`. */
import { Injectable } from '@nestjs/common';
import { cellsDocKey, evolveCells, leaderboard, LEADERBOARD_TABLE, type CellsDoc, type GptmePairDoc } from '../../../projections/eval/leaderboard.js';
import { rankDefaultLeaderboard, type DefaultLeaderboardOptions, type DefaultLeaderboardRow } from '../../../projections/eval/leaderboard-default.js';
import { rankGptmeLeaderboard, type GptmeLeaderboardRow } from '../../../projections/eval/leaderboard-gptme.js';
import { testHistory, TEST_HISTORY_TABLE, type TestHistoryRow } from '../../../projections/eval/test-history.js';
import { EvalReadState } from './eval-read-state.js';
import { historyRowToEvent } from './history-events.js';

export interface TimeWindow {
  /** Inclusive, event time. */
  from?: string;
  /** Exclusive, event time: the state as of this instant. */
  to?: string;
}

export interface GptmeLeaderboardFilter {
  minTests: number;
  /** Case-insensitive substring of the model. */
  model?: string;
  /** `default` for no format. */
  format?: string;
}

@Injectable()
export class LeaderboardReader {
  constructor(private readonly shared: EvalReadState) {}

  async gptmeLeaderboard(filter: GptmeLeaderboardFilter): Promise<GptmeLeaderboardRow[]> {
    const state = await this.shared.state(leaderboard.name);
    const rows = await this.shared.cache.get(`lb-gptme|${state.version}|${filter.minTests}`, async () =>
      rankGptmeLeaderboard(await this.shared.docs<GptmePairDoc>(LEADERBOARD_TABLE, state.instanceId, 'gptme'), filter.minTests),
    );
    const model = filter.model?.toLowerCase();
    if (model === undefined && filter.format === undefined) return rows;
    return rows.filter((r) => (model === undefined || r.model.toLowerCase().includes(model)) && (filter.format === undefined || r.format === filter.format));
  }

  async defaultLeaderboard(options: DefaultLeaderboardOptions, window: TimeWindow = {}): Promise<DefaultLeaderboardRow[]> {
    const windowed = window.from !== undefined || window.to !== undefined;
    const state = await this.shared.state(windowed ? testHistory.name : leaderboard.name);
    const key = `lb-default|${state.version}|${JSON.stringify([options, window])}`;
    return this.shared.cache.get(key, async () => {
      const docs = windowed ? await this.cellsInWindow(state.instanceId, window) : await this.shared.docs<CellsDoc>(LEADERBOARD_TABLE, state.instanceId, 'cells');
      return rankDefaultLeaderboard(docs, options);
    });
  }

  /** The leaderboard's cells as they were for the outcomes of a time window: the projection's fold over history rows. */
  private async cellsInWindow(instanceId: string, window: TimeWindow): Promise<CellsDoc[]> {
    const where = ['instance_id = $1'];
    const params: unknown[] = [instanceId];
    if (window.from) where.push(`occurred_at >= $${params.push(window.from)}`);
    if (window.to) where.push(`occurred_at < $${params.push(window.to)}`);
    const rows = (await this.shared.dataSource.query(
      `SELECT * FROM ${TEST_HISTORY_TABLE} WHERE ${where.join(' AND ')} ORDER BY order_key`,
      params,
    )) as TestHistoryRow[];
    const docs = new Map<string, CellsDoc>();
    for (const row of rows) {
      const key = cellsDocKey(row.model, row.tool_format, row.suite);
      const doc = docs.get(key) ?? { kind: 'cells' as const, model: row.model, format: row.tool_format, suite: row.suite, tests: {} };
      docs.set(key, evolveCells(doc, historyRowToEvent(row)));
    }
    return [...docs.values()];
  }
}
