/**
 * Statistical trend labels under two rule sets, compared series by series. A rule set that changes the trend
 * rules is answered by its own `trends` instance, one that does not by the default instance (its labels are the
 * defaults'). Only instances already built are read: one not built is named with the command that builds it.
 */
import { resolveRules, type RuleValues } from '../../projections/machinery/projection.js';
import { trends, TRENDS_TABLE, type StatisticalRules, type StatSeriesDoc } from '../../projections/eval/trends.js';
import { classifyStatSeries, type StatisticalLabel } from '../../projections/eval/trends-statistical.js';
import { correctTrendLabels, resolveTrendsFdrRules, type TrendsFdrRules } from '../../projections/eval/trends-false-discovery.js';
import type { SqlExecutor } from '../database/sql-client.js';
import { currentInstanceId } from '../projection-engine/instances/current-instance.js';
import { ruleDependentProjections } from './build-rule-set.js';

export interface TrendSource {
  ruleSetId: string;
  /** The rule set whose `trends` instance answers: itself when it changes the trend rules, else the defaults (null). */
  instanceRuleSet: string | null;
  rules: StatisticalRules;
  /** Query-time false-discovery rules: applied to the instance's labels, never part of the instance. */
  fdr: TrendsFdrRules;
}

export interface TrendLabels extends TrendSource {
  instanceId: string;
  /** `model|format|test` -> label. */
  labels: Map<string, StatisticalLabel>;
}

export interface NotBuilt {
  ruleSetId: string;
  projection: 'trends';
  build: string;
}

export interface TrendDifference {
  model: string;
  format: string;
  test: string;
  labelA: StatisticalLabel | null;
  labelB: StatisticalLabel | null;
}

export function trendSource(ruleSetId: string, parameters: RuleValues | null): TrendSource {
  const own = parameters !== null && ruleDependentProjections([trends], parameters).length > 0;
  return { ruleSetId, instanceRuleSet: own ? ruleSetId : null, rules: resolveRules(trends, parameters ?? undefined), fdr: resolveTrendsFdrRules(parameters) };
}

/** The labels of every statistical series under the source, or the way to build it when it has no current instance. */
export async function loadTrendLabels(db: SqlExecutor, source: TrendSource): Promise<TrendLabels | NotBuilt> {
  const instanceId = await currentInstanceId(db, trends.name, source.instanceRuleSet);
  if (!instanceId) {
    const build = source.instanceRuleSet
      ? `lessonloop projections rebuild trends --rule-set ${source.instanceRuleSet}`
      : 'lessonloop projections rebuild trends (or start the server, which builds the default instances)';
    return { ruleSetId: source.ruleSetId, projection: 'trends', build };
  }
  const { rows } = await db.query<{ doc: StatSeriesDoc }>(`SELECT doc FROM ${TRENDS_TABLE} WHERE instance_id = $1 AND doc_key LIKE $2`, [instanceId, '["stat"%']);
  const labels = new Map<string, StatisticalLabel>();
  const classified = rows.map(({ doc }) => classifyStatSeries(doc, source.rules));
  for (const entry of correctTrendLabels(classified, source.rules, source.fdr)) labels.set(seriesKey(entry.model, entry.format, entry.test), entry.label);
  return { ...source, instanceId, labels };
}

function seriesKey(model: string, format: string, test: string): string {
  return JSON.stringify([model, format, test]);
}

export function compareTrendLabels(a: TrendLabels, b: TrendLabels): TrendDifference[] {
  const keys = [...new Set([...a.labels.keys(), ...b.labels.keys()])].sort();
  const out: TrendDifference[] = [];
  for (const key of keys) {
    const labelA = a.labels.get(key) ?? null;
    const labelB = b.labels.get(key) ?? null;
    if (labelA === labelB) continue;
    const [model, format, test] = JSON.parse(key) as [string, string, string];
    out.push({ model, format, test, labelA, labelB });
  }
  return out;
}

export function isBuilt(value: TrendLabels | NotBuilt): value is TrendLabels {
  return 'labels' in value;
}
