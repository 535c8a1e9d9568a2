import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  cellsDocKey,
  evolveCells,
  leaderboard,
  LEADERBOARD_TABLE,
  type CellsDoc,
  type GptmePairDoc,
} from '../../../projections/leaderboard.js';
import { rankDefaultLeaderboard, type DefaultLeaderboardOptions, type DefaultLeaderboardRow } from '../../../projections/leaderboard-default.js';
import { rankGptmeLeaderboard, type GptmeLeaderboardRow } from '../../../projections/leaderboard-gptme.js';
import { formatLabel } from '../../../projections/leaderboard-grouping.js';
import { testHistory, TEST_HISTORY_TABLE, type TestHistoryRow } from '../../../projections/test-history.js';
import { statisticalRulesSchema, trends, TRENDS_TABLE, type GptmeSeriesDoc, type StatSeriesDoc } from '../../../projections/trends.js';
import {
  gptmeDiff,
  gptmeTrendsReport,
  summariesFromDocs,
  summariesFromPoints,
  type GptmeModelDiff,
  type GptmeOutcomePoint,
  type GptmeSeriesSummary,
  type GptmeTrendsReport,
} from '../../../projections/trends-gptme.js';
import { classifyStatSeries, type StatisticalTrendEntry } from '../../../projections/trends-statistical.js';
import { historyRowToEvent } from './history-events.js';
import { gptmeSeriesInSuite, statSeriesInSuite } from './suite-series.js';
import { filterGptmeSeries, filterStatEntries } from './trend-filters.js';
import { currentInstanceState, type InstanceState } from './instance-state.js';
import { VersionedCache } from './versioned-cache.js';

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

export interface StatisticalFilter extends TimeWindow {
  ruleSet?: string;
  model?: string;
  format?: string;
  /** Series with an outcome recorded under this suite. */
  suite?: string;
  test?: string;
  label?: string;
}

export interface GptmeTrendsFilter extends TimeWindow {
  /** Case-insensitive substring of `model@format`. */
  model?: string;
  /** gptme's `--last N`: only the last N outcomes of each series. */
  last?: number;
  /** The format part of `model@format`, `default` for none. */
  format?: string;
  /** Series with an outcome recorded under this suite. */
  suite?: string;
}

export interface StatisticalTrends {
  ruleSet: string | null;
  rules: Record<string, unknown>;
  entries: StatisticalTrendEntry[];
  counts: Record<string, number>;
}

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

/** How long a looked-up instance position is reused before asking the database again. */
export const STATE_TTL_MS = 250;

export class ProjectionNotReadyError extends Error {
  constructor(readonly projection: string) {
    super(`The ${projection} read model has no current instance yet (the projection engine has not built it)`);
    this.name = 'ProjectionNotReadyError';
  }
}

/** Queries over the current instances of the `leaderboard`, `trends` and `test-history` projections. */
@Injectable()
export class EvalReadModels {
  private readonly cache = new VersionedCache();
  private readonly states = new Map<string, { at: number; state: Promise<InstanceState | null> }>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Where an instance is, looked up at most once per STATE_TTL_MS per projection: under load, answers come
   * from memory without a database round trip, and are at most that much staler than the read model.
   */
  private async state(name: string, ruleSet?: string | null): Promise<InstanceState> {
    const key = `${name}\u0000${ruleSet ?? ''}`;
    const now = Date.now();
    let entry = this.states.get(key);
    if (!entry || now - entry.at > STATE_TTL_MS) {
      entry = { at: now, state: currentInstanceState(this.dataSource, name, ruleSet) };
      this.states.set(key, entry);
      entry.state.catch(() => this.states.delete(key));
    }
    const state = await entry.state;
    if (!state) {
      this.states.delete(key);
      throw new ProjectionNotReadyError(ruleSet ? `${name} (rule set ${ruleSet})` : name);
    }
    return state;
  }

  private async docs<T>(table: string, instanceId: string, kind: string): Promise<T[]> {
    const rows = (await this.dataSource.query(`SELECT doc FROM ${table} WHERE instance_id = $1 AND doc_key LIKE $2`, [
      instanceId,
      `["${kind}"%`,
    ])) as { doc: T }[];
    return rows.map((r) => r.doc);
  }

  async gptmeLeaderboard(filter: GptmeLeaderboardFilter): Promise<GptmeLeaderboardRow[]> {
    const state = await this.state(leaderboard.name);
    const rows = await this.cache.get(`lb-gptme|${state.version}|${filter.minTests}`, async () =>
      rankGptmeLeaderboard(await this.docs<GptmePairDoc>(LEADERBOARD_TABLE, state.instanceId, 'gptme'), filter.minTests),
    );
    const model = filter.model?.toLowerCase();
    return rows.filter((r) => (model === undefined || r.model.toLowerCase().includes(model)) && (filter.format === undefined || r.format === filter.format));
  }

  async defaultLeaderboard(options: DefaultLeaderboardOptions, window: TimeWindow = {}): Promise<DefaultLeaderboardRow[]> {
    const windowed = window.from !== undefined || window.to !== undefined;
    const state = await this.state(windowed ? testHistory.name : leaderboard.name);
    const key = `lb-default|${state.version}|${JSON.stringify([options, window])}`;
    return this.cache.get(key, async () => {
      const docs = windowed ? await this.cellsInWindow(state.instanceId, window) : await this.docs<CellsDoc>(LEADERBOARD_TABLE, state.instanceId, 'cells');
      return rankDefaultLeaderboard(docs, options);
    });
  }

  /** The leaderboard's cells as they were for the outcomes of a time window: the projection's fold over history rows. */
  private async cellsInWindow(instanceId: string, window: TimeWindow): Promise<CellsDoc[]> {
    const where = ['instance_id = $1'];
    const params: unknown[] = [instanceId];
    if (window.from) where.push(`occurred_at >= $${params.push(window.from)}`);
    if (window.to) where.push(`occurred_at < $${params.push(window.to)}`);
    const rows = (await this.dataSource.query(
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

  async gptmeTrends(options: GptmeTrendsFilter): Promise<GptmeTrendsReport> {
    const { model, last, suite, ...window } = options;
    const members = suite === undefined ? null : await this.suiteSeries('gptme', suite);
    const summaries = async (): Promise<{ version: string; series: GptmeSeriesSummary[] }> => {
      if (last !== undefined) {
        const state = await this.state(testHistory.name);
        const series = await this.cache.get(`tr-gptme-last|${state.version}|${model ?? ''}|${last}`, async () =>
          summariesFromPoints(await this.gptmePoints(state.instanceId, model), last),
        );
        return { version: state.version, series };
      }
      const state = await this.state(trends.name);
      const series = await this.cache.get(`tr-gptme-series|${state.version}`, async () =>
        summariesFromDocs(await this.docs<GptmeSeriesDoc>(TRENDS_TABLE, state.instanceId, 'gptme')),
      );
      return { version: state.version, series };
    };
    const { version, series } = await summaries();
    const key = `tr-gptme|${version}|${members?.version ?? ''}|${JSON.stringify(options)}`;
    return this.cache.get(key, async () => gptmeTrendsReport(filterGptmeSeries(series, window, members?.keys ?? null), model !== undefined ? { model } : {}));
  }

  /** The series with an outcome under `suite`, from the test-history rows (kept until that instance moves). */
  private async suiteSeries(kind: 'gptme' | 'stat', suite: string): Promise<{ version: string; keys: Set<string> }> {
    const state = await this.state(testHistory.name);
    const keys = await this.cache.get(`suite-${kind}|${state.version}|${suite}`, () =>
      (kind === 'gptme' ? gptmeSeriesInSuite : statSeriesInSuite)(this.dataSource, state.instanceId, suite),
    );
    return { version: state.version, keys };
  }

  async gptmeDiff(options: { model?: string }): Promise<Record<string, GptmeModelDiff>> {
    const state = await this.state(testHistory.name);
    return this.cache.get(`tr-diff|${state.version}|${options.model ?? ''}`, async () =>
      gptmeDiff(await this.gptmePoints(state.instanceId, options.model), options),
    );
  }

  private async gptmePoints(instanceId: string, model?: string): Promise<GptmeOutcomePoint[]> {
    const params: unknown[] = [instanceId];
    const filter = model ? `AND strpos(lower(gptme_key), $${params.push(model.toLowerCase())}) > 0` : '';
    const rows = (await this.dataSource.query(
      `SELECT gptme_key, test, run_id, passed, order_key FROM ${TEST_HISTORY_TABLE} WHERE instance_id = $1 ${filter}`,
      params,
    )) as { gptme_key: string; test: string; run_id: string; passed: boolean; order_key: string }[];
    return rows.map((r) => ({ modelKey: r.gptme_key, test: r.test, runId: r.run_id, passed: r.passed, orderKey: r.order_key }));
  }

  async statisticalTrends(filter: StatisticalFilter): Promise<StatisticalTrends> {
    const state = await this.state(trends.name, filter.ruleSet);
    const rules = statisticalRulesSchema.parse(state.rules);
    const all = await this.cache.get(`tr-stat|${state.version}`, async () => {
      const entries = (await this.docs<StatSeriesDoc>(TRENDS_TABLE, state.instanceId, 'stat'))
        .map((doc) => classifyStatSeries(doc, rules))
        .sort((a, b) => cmp(a.model, b.model) || cmp(a.format, b.format) || cmp(a.test, b.test));
      return { entries, counts: labelCounts(entries) };
    });
    const unfiltered =
      filter.model === undefined && filter.format === undefined && filter.test === undefined && filter.suite === undefined &&
      filter.from === undefined && filter.to === undefined;
    const members = filter.suite === undefined ? null : (await this.suiteSeries('stat', filter.suite)).keys;
    const entries = unfiltered ? all.entries : filterStatEntries(all.entries, filter, members);
    return {
      ruleSet: filter.ruleSet ?? null,
      rules,
      entries: filter.label === undefined ? entries : entries.filter((e) => e.label === filter.label),
      counts: unfiltered ? all.counts : labelCounts(entries),
    };
  }

  /** Every outcome of (model, test), newest first, with the changes between consecutive outcomes. */
  async testHistory(model: string, test: string, options: TimeWindow & { format?: string; suite?: string }): Promise<HistoryEntry[]> {
    const state = await this.state(testHistory.name);
    const params: unknown[] = [state.instanceId, model, test];
    // `raw_model = $2` said so that both indexes serve it: a raw model differs from its parsed model only when it
    // ends in @<tool format>, and then it is its own gptme key.
    const where = ['instance_id = $1', '(model = $2 OR (gptme_key = $2 AND raw_model = $2))', 'test = $3'];
    if (options.format !== undefined) where.push(`tool_format = $${params.push(options.format === 'default' ? '' : options.format)}`);
    if (options.suite !== undefined) where.push(`suite = $${params.push(options.suite)}`);
    const rows = (await this.dataSource.query(
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

function labelCounts(entries: readonly StatisticalTrendEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of entries) counts[e.label] = (counts[e.label] ?? 0) + 1;
  return counts;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
