/**
 * Which trend series belong to a suite: a series (gptme's model@format + test, or our model + format + test)
 * belongs to every suite one of its outcomes was recorded under. Read from the test-history rows, which keep
 * each outcome's suite (the trends documents do not).
 */
import type { DataSource } from 'typeorm';
import { formatLabel } from '../../../projections/eval/leaderboard-grouping.js';
import { TEST_HISTORY_TABLE } from '../../../projections/eval/test-history.js';

export const seriesKey = (...parts: string[]) => JSON.stringify(parts);

/** Keys seriesKey(gptmeKey, test) of the gptme series with an outcome under `suite`. */
export async function gptmeSeriesInSuite(dataSource: DataSource, instanceId: string, suite: string): Promise<Set<string>> {
  const rows = (await dataSource.query(
    `SELECT DISTINCT gptme_key, test FROM ${TEST_HISTORY_TABLE} WHERE instance_id = $1 AND suite = $2`,
    [instanceId, suite],
  )) as { gptme_key: string; test: string }[];
  return new Set(rows.map((r) => seriesKey(r.gptme_key, r.test)));
}

/** Keys seriesKey(model, format label, test) of the statistical series with an outcome under `suite`. */
export async function statSeriesInSuite(dataSource: DataSource, instanceId: string, suite: string): Promise<Set<string>> {
  const rows = (await dataSource.query(
    `SELECT DISTINCT model, tool_format, test FROM ${TEST_HISTORY_TABLE} WHERE instance_id = $1 AND suite = $2`,
    [instanceId, suite],
  )) as { model: string; tool_format: string; test: string }[];
  return new Set(rows.map((r) => seriesKey(r.model, formatLabel(r.tool_format), r.test)));
}
