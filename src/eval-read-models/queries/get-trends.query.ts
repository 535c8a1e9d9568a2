import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { GptmeTrendEntry, GptmeTrendsReport } from '../../../projections/eval/trends-gptme.js';
import type { StatisticalTrendEntry } from '../../../projections/eval/trends-statistical.js';
import { TrendsReader } from '../read-model/trends-reader.js';
import { page } from '../../common/list-params.js';
import { GPTME_TREND_CATEGORIES, type TrendsParams } from './eval-query-params.js';
import { AnswerMemo } from './answer-memo.js';
import { sortRows, type SortOrder } from '../../common/sort-rows.js';

export class GetTrendsQuery {
  constructor(readonly params: TrendsParams) {}
}

const STAT_SORT_VALUES: Record<string, (e: StatisticalTrendEntry) => string | number | null> = {
  baseline_pass_rate: (e) => e.baseline.pass_rate,
  recent_pass_rate: (e) => e.recent.pass_rate,
};

function sortStat(entries: StatisticalTrendEntry[], sort: string | undefined, order: SortOrder): StatisticalTrendEntry[] {
  if (sort === undefined) return entries;
  const value = STAT_SORT_VALUES[sort] ?? ((e: StatisticalTrendEntry) => (e as unknown as Record<string, string | number | null>)[sort]);
  return sortRows(entries, value, order);
}

function sortGptme(list: GptmeTrendEntry[], sort: string | undefined, order: SortOrder): GptmeTrendEntry[] {
  if (sort === undefined) return list;
  return sortRows(list, (e) => (e as unknown as Record<string, string | number>)[sort], order);
}

const optional = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));

@QueryHandler(GetTrendsQuery)
export class GetTrendsHandler implements IQueryHandler<GetTrendsQuery> {
  private readonly answers = new AnswerMemo();

  constructor(private readonly readModels: TrendsReader) {}

  async execute({ params: p }: GetTrendsQuery) {
    const model = optional('model', p.model);
    const order = p.order ?? 'asc';
    const offset = p.offset ?? 0;
    if (p.rules === 'gptme') {
      if (p.diff) return this.readModels.gptmeDiff(model);
      const report = await this.readModels.gptmeTrends({
        ...model,
        ...optional('last', p.last),
        ...optional('format', p.format),
        ...optional('suite', p.suite),
        ...optional('from', p.from),
        ...optional('to', p.to),
      });
      // As gptme's --regressions / --improvements: the other changing lists are emptied.
      const shown: GptmeTrendsReport = p.regressions
        ? { ...report, improvements: [], flaky: [] }
        : p.improvements
          ? { ...report, regressions: [], flaky: [] }
          : report;
      return this.answers.get(report, p, () => gptmeAnswer(shown, p, order, offset));
    }
    const result = await this.readModels.statisticalTrends({
      ...model,
      ...optional('ruleSet', p.ruleSet),
      ...optional('format', p.format),
      ...optional('suite', p.suite),
      ...optional('test', p.test),
      ...optional('label', p.label),
      ...optional('from', p.from),
      ...optional('to', p.to),
    });
    return this.answers.get(result.entries, p, () => ({
      rules: 'statistical',
      ruleSet: result.ruleSet,
      instanceRuleSet: result.instanceRuleSet,
      parameters: result.rules,
      counts: result.counts,
      ...page(sortStat(result.entries, p.sort, order), p.limit ?? 50, offset),
    }));
  }
}

/**
 * gptme's report as gptme prints it (the five lists whole) unless paging is asked for. `category`: that list
 * as an ordinary page; limit/offset/sort alone: every list paged, with each list's length in `totals`.
 */
function gptmeAnswer(report: GptmeTrendsReport, p: TrendsParams, order: SortOrder, offset: number) {
  const totals = Object.fromEntries(GPTME_TREND_CATEGORIES.map((c) => [c, report[c].length])) as Record<keyof GptmeTrendsReport, number>;
  if (p.category !== undefined) {
    return { rules: 'gptme', category: p.category, totals, ...page(sortGptme(report[p.category], p.sort, order), p.limit ?? 50, offset) };
  }
  if (p.limit === undefined && p.offset === undefined && p.sort === undefined) return report;
  const lists = Object.fromEntries(GPTME_TREND_CATEGORIES.map((c) => [c, page(sortGptme(report[c], p.sort, order), p.limit, offset).items]));
  return { ...lists, totals, offset, limit: p.limit ?? null };
}
