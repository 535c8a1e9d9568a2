/** gptme's and the statistical trends from the `trends` instances (gptme's --last and --diff from `test-history`). */
import { Inject, Injectable } from '@nestjs/common';
import { testHistory, TEST_HISTORY_TABLE } from '../../../projections/eval/test-history.js';
import { DEFAULT_STATISTICAL_RULES, statisticalRulesSchema, trends, TRENDS_TABLE, type GptmeSeriesDoc, type StatSeriesDoc } from '../../../projections/eval/trends.js';
import {
  gptmeDiff,
  gptmeTrendsReport,
  summariesFromDocs,
  summariesFromPoints,
  type GptmeModelDiff,
  type GptmeOutcomePoint,
  type GptmeSeriesSummary,
  type GptmeTrendsReport,
} from '../../../projections/eval/trends-gptme.js';
import { correctTrendLabels, type CorrectedTrendEntry } from '../../../projections/eval/trends-false-discovery.js';
import { pooledTrends, type PooledTrendEntry } from '../../../projections/eval/trends-pooled.js';
import { classifyStatSeries } from '../../../projections/eval/trends-statistical.js';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import { EvalReadState } from './eval-read-state.js';
import type { TimeWindow } from './leaderboard-reader.js';
import { gptmeSeriesInSuite, statSeriesInSuite } from './suite-series.js';
import { filterGptmeSeries, filterStatEntries } from './trend-filters.js';
import { trendsRuleSetResolver } from './trends-rule-set.js';

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
  /** The rule set asked for; null for the default rules. */
  ruleSet: string | null;
  /** The rule set whose instance answered; null: the default instance (the rule set leaves the trend rules alone). */
  instanceRuleSet: string | null;
  rules: Record<string, unknown>;
  entries: CorrectedTrendEntry[];
  counts: Record<string, number>;
}

export interface PooledStatisticalTrends {
  ruleSet: string | null;
  instanceRuleSet: string | null;
  rules: Record<string, unknown>;
  models: PooledTrendEntry[];
  tests: PooledTrendEntry[];
}

@Injectable()
export class TrendsReader {
  private readonly instanceFor: ReturnType<typeof trendsRuleSetResolver>;

  constructor(
    private readonly shared: EvalReadState,
    @Inject(EVENT_STORE) store: EventStore,
  ) {
    this.instanceFor = trendsRuleSetResolver(store);
  }

  async gptmeTrends(options: GptmeTrendsFilter): Promise<GptmeTrendsReport> {
    const { model, last, suite, ...window } = options;
    const members = suite === undefined ? null : await this.suiteSeries('gptme', suite);
    const summaries = async (): Promise<{ version: string; series: GptmeSeriesSummary[] }> => {
      if (last !== undefined) {
        const state = await this.shared.state(testHistory.name);
        const series = await this.shared.cache.get(`tr-gptme-last|${state.version}|${model ?? ''}|${last}`, async () =>
          summariesFromPoints(await this.gptmePoints(state.instanceId, model), last),
        );
        return { version: state.version, series };
      }
      const state = await this.shared.state(trends.name);
      const series = await this.shared.cache.get(`tr-gptme-series|${state.version}`, async () =>
        summariesFromDocs(await this.shared.docs<GptmeSeriesDoc>(TRENDS_TABLE, state.instanceId, 'gptme')),
      );
      return { version: state.version, series };
    };
    const { version, series } = await summaries();
    const key = `tr-gptme|${version}|${members?.version ?? ''}|${JSON.stringify(options)}`;
    return this.shared.cache.get(key, async () => gptmeTrendsReport(filterGptmeSeries(series, window, members?.keys ?? null), model !== undefined ? { model } : {}));
  }

  /** The series with an outcome under `suite`, from the test-history rows (kept until that instance moves). */
  private async suiteSeries(kind: 'gptme' | 'stat', suite: string): Promise<{ version: string; keys: Set<string> }> {
    const state = await this.shared.state(testHistory.name);
    const keys = await this.shared.cache.get(`suite-${kind}|${state.version}|${suite}`, () =>
      (kind === 'gptme' ? gptmeSeriesInSuite : statSeriesInSuite)(this.shared.dataSource, state.instanceId, suite),
    );
    return { version: state.version, keys };
  }

  async gptmeDiff(options: { model?: string }): Promise<Record<string, GptmeModelDiff>> {
    const state = await this.shared.state(testHistory.name);
    return this.shared.cache.get(`tr-diff|${state.version}|${options.model ?? ''}`, async () =>
      gptmeDiff(await this.gptmePoints(state.instanceId, options.model), options),
    );
  }

  private async gptmePoints(instanceId: string, model?: string): Promise<GptmeOutcomePoint[]> {
    const params: unknown[] = [instanceId];
    const filter = model ? `AND strpos(lower(gptme_key), $${params.push(model.toLowerCase())}) > 0` : '';
    const rows = (await this.shared.dataSource.query(
      `SELECT gptme_key, test, run_id, passed, order_key FROM ${TEST_HISTORY_TABLE} WHERE instance_id = $1 ${filter}`,
      params,
    )) as { gptme_key: string; test: string; run_id: string; passed: boolean; order_key: string }[];
    return rows.map((r) => ({ modelKey: r.gptme_key, test: r.test, runId: r.run_id, passed: r.passed, orderKey: r.order_key }));
  }

  /** Every series of the instance the rule set reads, classified and corrected (cached until the instance moves). */
  private async correctedInstance(ruleSet: string | undefined) {
    const choice = await this.instanceFor(ruleSet);
    const state = await this.shared.state(trends.name, choice.instanceRuleSet, choice.build);
    // Defaults first: rules stored before a key existed still parse (the statistical rules are read, never re-derived).
    const rules = statisticalRulesSchema.parse({ ...DEFAULT_STATISTICAL_RULES, ...state.rules });
    const fdr = choice.fdr;
    const all = await this.shared.cache.get(`tr-stat|${state.version}|${JSON.stringify(fdr)}`, async () => {
      const classified = (await this.shared.docs<StatSeriesDoc>(TRENDS_TABLE, state.instanceId, 'stat')).map((doc) => classifyStatSeries(doc, rules));
      // The whole instance is corrected before any filter or page: a family is never what one query happens to show.
      const entries = correctTrendLabels(classified, rules, fdr).sort((a, b) => cmp(a.model, b.model) || cmp(a.format, b.format) || cmp(a.test, b.test));
      return { entries, counts: labelCounts(entries) };
    });
    return { choice, state, rules, fdr, all };
  }

  /** The pooled drop tests (per model over its tests, per test over the models) of the whole instance. */
  async pooledTrends(ruleSet?: string): Promise<PooledStatisticalTrends> {
    const { choice, state, rules, fdr, all } = await this.correctedInstance(ruleSet);
    const pooled = await this.shared.cache.get(`tr-pooled|${state.version}|${JSON.stringify(fdr)}`, async () => pooledTrends(all.entries, rules, fdr));
    return { ruleSet: choice.ruleSet, instanceRuleSet: choice.instanceRuleSet, rules: { ...rules, ...fdr }, ...pooled };
  }

  async statisticalTrends(filter: StatisticalFilter): Promise<StatisticalTrends> {
    const { choice, rules, fdr, all } = await this.correctedInstance(filter.ruleSet);
    const unfiltered =
      filter.model === undefined && filter.format === undefined && filter.test === undefined && filter.suite === undefined &&
      filter.from === undefined && filter.to === undefined;
    const members = filter.suite === undefined ? null : (await this.suiteSeries('stat', filter.suite)).keys;
    const entries = unfiltered ? all.entries : filterStatEntries(all.entries, filter, members);
    return {
      ruleSet: choice.ruleSet,
      instanceRuleSet: choice.instanceRuleSet,
      rules: { ...rules, ...fdr },
      entries: filter.label === undefined ? entries : entries.filter((e) => e.label === filter.label),
      counts: unfiltered ? all.counts : labelCounts(entries),
    };
  }
}

function labelCounts(entries: readonly CorrectedTrendEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of entries) counts[e.label] = (counts[e.label] ?? 0) + 1;
  return counts;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
