import { TEST_HISTORY_TABLE } from '../../projections/eval/test-history.js';
import type { SqlExecutor } from '../database/sql-client.js';
import { normaliseRuleSetId } from '../projection-engine/instances/instance-id.js';

/** At most this many runs per chart: the latest ones. */
export const MAX_POINTS = 500;

export interface PassRatePoint {
  runId: string;
  at: string;
  attempts: number;
  passes: number;
  passRate: number | null;
  infraErrors: number;
}

export interface LessonChangeMark {
  lessonId: string;
  type: string;
  at: string;
}

const currentInstance = async (sql: SqlExecutor, name: string): Promise<string | null> => {
  const { rows } = await sql.query<{ instance_id: string }>(
    `SELECT instance_id FROM projection_current WHERE name = $1 AND rule_set_id = $2`,
    [name, normaliseRuleSetId(null)],
  );
  return rows[0]?.instance_id ?? null;
};

/**
 * One point per run of a model (optionally one tool format): outcomes counted as the leaderboard does
 * (suspected infra errors left out of attempts, counted apart). From the test-history read model. The raw model
 * is matched through its gptme key so the two indexes serve the lookup (a raw model differs from its parsed
 * model only when it ends in @<tool format>, and then it is its own gptme key).
 */
export async function modelPassRate(sql: SqlExecutor, model: string, format?: string): Promise<PassRatePoint[] | null> {
  const instance = await currentInstance(sql, 'test-history');
  if (!instance) return null;
  const params: unknown[] = [instance, model];
  const byFormat = format === undefined ? '' : ` AND coalesce(tool_format, '') = $${params.push(format === 'default' ? '' : format)}`;
  const { rows } = await sql.query<{ run_id: string; at: Date | string; attempts: string; passes: string; infra: string }>(
    `SELECT run_id, min(occurred_at) AS at,
            count(*) FILTER (WHERE passed OR NOT coalesce(suspected_infra_error, false)) AS attempts,
            count(*) FILTER (WHERE passed) AS passes,
            count(*) FILTER (WHERE NOT passed AND coalesce(suspected_infra_error, false)) AS infra
       FROM ${TEST_HISTORY_TABLE}
      WHERE instance_id = $1 AND (model = $2 OR (gptme_key = $2 AND raw_model = $2))${byFormat}
      GROUP BY run_id ORDER BY min(occurred_at) DESC, run_id DESC LIMIT ${MAX_POINTS}`,
    params,
  );
  return rows.reverse().map(toPoint);
}

export interface FormatSeries {
  format: string;
  points: PassRatePoint[];
}

/**
 * The same points per tool format (`default` for none), formats in name order: one line each on the model page.
 * The latest MAX_POINTS runs of each format.
 */
export async function modelPassRateByFormat(sql: SqlExecutor, model: string): Promise<FormatSeries[] | null> {
  const instance = await currentInstance(sql, 'test-history');
  if (!instance) return null;
  const { rows } = await sql.query<{ format: string; run_id: string; at: Date | string; attempts: string; passes: string; infra: string }>(
    `SELECT format, run_id, at, attempts, passes, infra FROM (
       SELECT coalesce(nullif(tool_format, ''), 'default') AS format, run_id, min(occurred_at) AS at,
              count(*) FILTER (WHERE passed OR NOT coalesce(suspected_infra_error, false)) AS attempts,
              count(*) FILTER (WHERE passed) AS passes,
              count(*) FILTER (WHERE NOT passed AND coalesce(suspected_infra_error, false)) AS infra,
              row_number() OVER (PARTITION BY coalesce(nullif(tool_format, ''), 'default') ORDER BY min(occurred_at) DESC, run_id DESC) AS n
         FROM ${TEST_HISTORY_TABLE}
        WHERE instance_id = $1 AND (model = $2 OR (gptme_key = $2 AND raw_model = $2))
        GROUP BY 1, run_id) runs
      WHERE n <= ${MAX_POINTS} ORDER BY format, at, run_id`,
    [instance, model],
  );
  const series = new Map<string, PassRatePoint[]>();
  for (const r of rows) {
    let points = series.get(r.format);
    if (!points) series.set(r.format, (points = []));
    points.push(toPoint(r));
  }
  return [...series].map(([format, points]) => ({ format, points }));
}

function toPoint(r: { run_id: string; at: Date | string; attempts: string; passes: string; infra: string }): PassRatePoint {
  const attempts = Number(r.attempts);
  const passes = Number(r.passes);
  return {
    runId: r.run_id,
    at: new Date(r.at).toISOString(),
    attempts,
    passes,
    passRate: attempts === 0 ? null : passes / attempts,
    infraErrors: Number(r.infra),
  };
}

/** Lesson events (created, edited, status changes...) between two instants, oldest first, at most `limit`. */
export async function lessonChangesBetween(sql: SqlExecutor, from: string, to: string, limit = 200): Promise<LessonChangeMark[]> {
  const instance = await currentInstance(sql, 'lesson-timeline');
  if (!instance) return [];
  const { rows } = await sql.query<{ lesson_id: string; type: string; at: string }>(
    `SELECT t.doc_key AS lesson_id, e->>'type' AS type, e->>'occurredAt' AS at
       FROM lesson_timeline t, jsonb_array_elements(t.doc->'entries') e
      WHERE t.instance_id = $1 AND (e->>'occurredAt')::timestamptz >= $2::timestamptz AND (e->>'occurredAt')::timestamptz <= $3::timestamptz
      ORDER BY (e->>'occurredAt')::timestamptz, t.doc_key LIMIT ${Math.trunc(limit)}`,
    [instance, from, to],
  );
  return rows.map((r) => ({ lessonId: r.lesson_id, type: r.type, at: new Date(r.at).toISOString() }));
}
