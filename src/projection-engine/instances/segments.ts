/**
 * The checkpoints of a segmented instance: one projection_segments row per segment, each moved by
 * compare-and-set in its segment's batch transaction, like an unsegmented instance's own checkpoint. The
 * instance row keeps what every reader of an instance already reads: its checkpoint is the lowest of its
 * segments' (every event at or below it is applied in every segment), and so are its events processed (each
 * segment reads every event) and rate, refreshed after each segment's commit.
 */
import type { Position } from '../../../contracts/envelope.js';
import type { SqlClient, SqlExecutor } from '../../database/sql-client.js';
import type { CheckpointAdvance } from './checkpoint-advance.js';

/** The lease (and unit) id of segment `index`: `<instance>#<index>`. */
export function segmentUnitId(instanceId: string, index: number): string {
  return `${instanceId}#${index}`;
}

export class SegmentCountChangedError extends Error {
  constructor(readonly instanceId: string, readonly stored: number, readonly declared: number) {
    super(`${instanceId} was built with ${stored} segments, its definition now declares ${declared}: rebuild it (bump the version)`);
    this.name = 'SegmentCountChangedError';
  }
}

export interface SegmentRecord {
  segment: number;
  segments: number;
  checkpoint: Position;
  eventsProcessed: number;
  eventsPerSecond: number | null;
  caughtUpAt: Date | null;
}

interface SegmentRow {
  segment: number;
  segments: number;
  commit_position: string;
  prepare_position: string;
  events_processed: string;
  events_per_second: number | null;
  caught_up_at: Date | null;
}

const toRecord = (r: SegmentRow): SegmentRecord => ({
  segment: Number(r.segment),
  segments: Number(r.segments),
  checkpoint: { commit: BigInt(r.commit_position), prepare: BigInt(r.prepare_position) },
  eventsProcessed: Number(r.events_processed),
  eventsPerSecond: r.events_per_second === null ? null : Number(r.events_per_second),
  caughtUpAt: r.caught_up_at,
});

/**
 * The segment's row. All rows of the instance are created together on first use, from the instance's
 * checkpoint (an instance built before it was segmented goes on from where it stood: every event up to there
 * is applied in every segment); created one by one, a late segment would start from a checkpoint the others
 * had already moved.
 */
export async function openSegment(db: SqlExecutor, instanceId: string, segment: number, segments: number): Promise<SegmentRecord> {
  await db.query(
    `INSERT INTO projection_segments (instance_id, segment, segments, commit_position, prepare_position)
     SELECT instance_id, n, $2::int, commit_position, prepare_position
       FROM projection_instances, generate_series(0, $2::int - 1) AS n WHERE instance_id = $1
     ON CONFLICT (instance_id, segment) DO NOTHING`,
    [instanceId, segments],
  );
  const { rows } = await db.query<SegmentRow>('SELECT * FROM projection_segments WHERE instance_id = $1 ORDER BY segment', [instanceId]);
  const stored = rows.find((r) => Number(r.segments) !== segments);
  if (stored) throw new SegmentCountChangedError(instanceId, Number(stored.segments), segments);
  const own = rows.find((r) => Number(r.segment) === segment);
  if (!own) throw new Error(`Instance ${instanceId} is gone`);
  return toRecord(own);
}

export async function listSegments(db: SqlExecutor, instanceId?: string): Promise<Map<string, SegmentRecord[]>> {
  const { rows } = await db.query<SegmentRow & { instance_id: string }>(
    'SELECT * FROM projection_segments WHERE $1::text IS NULL OR instance_id = $1 ORDER BY instance_id, segment',
    [instanceId ?? null],
  );
  const byInstance = new Map<string, SegmentRecord[]>();
  for (const row of rows) byInstance.set(row.instance_id, [...(byInstance.get(row.instance_id) ?? []), toRecord(row)]);
  return byInstance;
}

/** The segment's compare-and-set (in its batch transaction). False: another processor moved it. */
export async function advanceSegmentCheckpoint(tx: SqlExecutor, instanceId: string, segment: number, advance: CheckpointAdvance): Promise<boolean> {
  const result = await tx.query(
    `UPDATE projection_segments
        SET commit_position = $5, prepare_position = $6, events_processed = events_processed + $7,
            events_per_second = COALESCE($8, events_per_second), updated_at = clock_timestamp()
      WHERE instance_id = $1 AND segment = $2 AND commit_position = $3 AND prepare_position = $4`,
    [
      instanceId,
      segment,
      advance.from.commit.toString(),
      advance.from.prepare.toString(),
      advance.to.commit.toString(),
      advance.to.prepare.toString(),
      advance.events,
      advance.eventsPerSecond,
    ],
  );
  return result.rowCount === 1;
}

/**
 * After a segment's commit (its own statement, so segments never wait on each other inside their batches):
 * the instance's checkpoint becomes the lowest segment checkpoint (only ever forward), its counters the lowest,
 * and a failure recorded by this segment is cleared (it got past it).
 */
export async function summariseSegments(sql: SqlClient, instanceId: string, segment: number, advance: CheckpointAdvance): Promise<void> {
  // Lock first, read after: the summary reads the segments in a snapshot taken once the lock is ours, so the
  // last of two segments committing together sees both commits (a statement's own snapshot could miss the other).
  await sql.transaction(async (tx) => {
    await tx.query('SELECT 1 FROM projection_instances WHERE instance_id = $1 FOR UPDATE', [instanceId]);
    await summary(tx, instanceId, segment, advance);
  });
}

async function summary(db: SqlExecutor, instanceId: string, segment: number, advance: CheckpointAdvance): Promise<void> {
  await db.query(
    `WITH low AS (
       SELECT commit_position AS c, prepare_position AS p FROM projection_segments WHERE instance_id = $1
        ORDER BY commit_position, prepare_position LIMIT 1
     ), total AS (
       SELECT MIN(events_processed) AS n, MIN(events_per_second) AS r FROM projection_segments WHERE instance_id = $1
     )
     UPDATE projection_instances i
        SET commit_position = CASE WHEN (low.c, low.p) > (i.commit_position, i.prepare_position) THEN low.c ELSE i.commit_position END,
            prepare_position = CASE WHEN (low.c, low.p) > (i.commit_position, i.prepare_position) THEN low.p ELSE i.prepare_position END,
            events_processed = total.n, events_per_second = COALESCE(total.r, i.events_per_second),
            last_global_position = GREATEST(i.last_global_position, $3::bigint),
            last_recorded_at = GREATEST(i.last_recorded_at, $4::timestamptz),
            error = CASE WHEN (i.error->>'segment')::int = $2 THEN NULL ELSE i.error END,
            failed_at = CASE WHEN (i.error->>'segment')::int = $2 THEN NULL ELSE i.failed_at END,
            updated_at = clock_timestamp()
       FROM low, total
      WHERE i.instance_id = $1`,
    [instanceId, segment, advance.lastGlobalPosition.toString(), advance.lastRecordedAt],
  );
}

/**
 * Records that a segment reached the head; true when every segment of the instance has (then a rebuild may be
 * promoted). Serialised on the instance row so two segments finishing together cannot both miss the other.
 */
export async function segmentCaughtUp(sql: SqlClient, instanceId: string, segment: number): Promise<boolean> {
  return sql.transaction(async (tx) => {
    await tx.query('SELECT 1 FROM projection_instances WHERE instance_id = $1 FOR UPDATE', [instanceId]);
    await tx.query(
      `UPDATE projection_segments SET caught_up_at = COALESCE(caught_up_at, clock_timestamp())
        WHERE instance_id = $1 AND segment = $2`,
      [instanceId, segment],
    );
    const { rows } = await tx.query<{ waiting: string; segments: string }>(
      `SELECT COUNT(*) FILTER (WHERE caught_up_at IS NULL) AS waiting, MAX(segments) AS segments
         FROM projection_segments WHERE instance_id = $1`,
      [instanceId],
    );
    const row = rows[0];
    return !!row && Number(row.waiting) === 0;
  });
}
