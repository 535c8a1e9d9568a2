/**
 * The inputs of the experiment analysis as the projection engine holds them: the change timeline documents and
 * the hourly outcome buckets of the current (default-rules) instances, with the checkpoints they are as of (the
 * cache key of an analysis). `catchUpExperimentInputs` projects them in this process (CLI, benchmark).
 */
import { comparePositions } from '../../contracts/envelope.js';
import { changeTimeline, CHANGE_TIMELINE_TABLE, timelineOf, type ChangeTimelineDoc, type TimelineChange } from '../../projections/domain-changes/change-timeline.js';
import { bucketsOf, experimentOutcomes, EXPERIMENT_OUTCOMES_TABLE, type OutcomeBucket, type OutcomeDayDoc } from '../../projections/experiments/experiment-outcomes.js';
import { indexBuckets, type BucketIndex } from '../../projections/experiments/window-tallies.js';
import type { SqlClient, SqlExecutor } from '../database/sql-client.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { requireCurrentInstanceId } from '../projection-engine/instances/current-instance.js';
import { ProjectionEngine } from '../projection-engine/projection-engine.js';
import { storeRuleSetSource } from '../projection-engine/instances/rule-sets.js';

export const EXPERIMENT_PROJECTIONS = [changeTimeline, experimentOutcomes] as const;

export interface ExperimentInputs {
  timeline: TimelineChange[];
  buckets: BucketIndex;
  /** The instances and checkpoints read: equal keys, equal inputs. */
  version: string;
}

export async function inputsVersion(db: SqlExecutor): Promise<{ timelineId: string; bucketsId: string; version: string }> {
  const timelineId = await requireCurrentInstanceId(db, changeTimeline.name);
  const bucketsId = await requireCurrentInstanceId(db, experimentOutcomes.name);
  const { rows } = await db.query<{ instance_id: string; c: string; p: string }>(
    'SELECT instance_id, commit_position::text AS c, prepare_position::text AS p FROM projection_instances WHERE instance_id = ANY($1::text[]) ORDER BY instance_id',
    [[timelineId, bucketsId]],
  );
  return { timelineId, bucketsId, version: rows.map((r) => `${r.instance_id}@${r.c}/${r.p}`).join('|') };
}

/** Day documents per read: the buckets are kept, each page of documents is let go once turned into buckets. */
const DAYS_PER_READ = 1000;

async function outcomeBuckets(tx: SqlExecutor, instanceId: string): Promise<OutcomeBucket[]> {
  const buckets: OutcomeBucket[] = [];
  let after: string | null = null;
  for (;;) {
    const { rows }: { rows: { doc_key: string; doc: OutcomeDayDoc }[] } = await tx.query(
      `SELECT doc_key, doc FROM ${EXPERIMENT_OUTCOMES_TABLE}
        WHERE instance_id = $1 AND ($2::text IS NULL OR doc_key > $2) ORDER BY doc_key LIMIT $3`,
      [instanceId, after, DAYS_PER_READ],
    );
    for (const bucket of bucketsOf(rows.map((r) => r.doc))) buckets.push(bucket);
    if (rows.length < DAYS_PER_READ) return buckets;
    after = rows[rows.length - 1]!.doc_key;
  }
}

export async function loadExperimentInputs(sql: SqlClient): Promise<ExperimentInputs> {
  return sql.transaction(async (tx) => {
    // One snapshot for the version and every page read, while the processors keep committing.
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const { timelineId, bucketsId, version } = await inputsVersion(tx);
    const docs = await tx.query<{ doc: ChangeTimelineDoc }>(`SELECT doc FROM ${CHANGE_TIMELINE_TABLE} WHERE instance_id = $1`, [timelineId]);
    return {
      timeline: timelineOf(docs.rows.map((r) => r.doc)),
      buckets: indexBuckets(await outcomeBuckets(tx, bucketsId)),
      version,
    };
  });
}

/** Projects the experiment inputs in this process until they have applied everything stored when called. */
export async function catchUpExperimentInputs(sql: SqlClient, store: EventStore, timeoutMs = 120_000): Promise<void> {
  const engine = new ProjectionEngine({ sql, store, projections: [...EXPERIMENT_PROJECTIONS], ruleSets: storeRuleSetSource(store) });
  await engine.prepare();
  try {
    const target = await store.headPosition();
    const ids: string[] = [];
    for (const projection of EXPERIMENT_PROJECTIONS) {
      const id = await engine.currentInstanceId(projection.name);
      if (id) {
        ids.push(id);
        engine.run(id, projection.name);
      }
    }
    const deadline = Date.now() + timeoutMs;
    while (target && Date.now() < deadline) {
      const { rows } = await sql.query<{ c: string; p: string }>(
        'SELECT commit_position::text AS c, prepare_position::text AS p FROM projection_instances WHERE instance_id = ANY($1::text[])',
        [ids],
      );
      const behind = rows.length < ids.length || rows.some((r) => comparePositions({ commit: BigInt(r.c), prepare: BigInt(r.p) }, target) < 0);
      if (!behind) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await engine.stop();
  }
}
