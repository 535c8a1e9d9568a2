/**
 * Moving an instance's checkpoint when a batch commits: the compare-and-set inside the batch's transaction, or,
 * for a batch without rows, the same move fenced by the lease in one statement.
 */
import type { Position } from '../../../contracts/envelope.js';
import type { SqlExecutor } from '../../database/sql-client.js';

export interface CheckpointAdvance {
  from: Position;
  to: Position;
  events: number;
  lastGlobalPosition: bigint;
  lastRecordedAt: Date;
  eventsPerSecond: number | null;
}

const ADVANCE_SET = `commit_position = $4, prepare_position = $5,
            events_processed = events_processed + $6,
            last_global_position = $7, last_recorded_at = $8,
            events_per_second = COALESCE($9, events_per_second),
            error = NULL, failed_at = NULL, retry = NULL, updated_at = clock_timestamp()`;

function advanceParams(instanceId: string, advance: CheckpointAdvance): unknown[] {
  return [
    instanceId,
    advance.from.commit.toString(),
    advance.from.prepare.toString(),
    advance.to.commit.toString(),
    advance.to.prepare.toString(),
    advance.events,
    advance.lastGlobalPosition.toString(),
    advance.lastRecordedAt,
    advance.eventsPerSecond,
  ];
}

/**
 * The compare-and-set that commits a batch: moves the checkpoint only if it is still where this processor
 * read it. False means another processor moved it (or the instance was dropped): roll the batch back.
 * A committed batch also clears a recorded failure (the projection got past it).
 */
export async function advanceCheckpoint(tx: SqlExecutor, instanceId: string, advance: CheckpointAdvance): Promise<boolean> {
  const result = await tx.query(
    `UPDATE projection_instances SET ${ADVANCE_SET}
      WHERE instance_id = $1 AND commit_position = $2 AND prepare_position = $3`,
    advanceParams(instanceId, advance),
  );
  return result.rowCount === 1;
}

/**
 * The same compare-and-set fenced by the lease's renewal, in ONE statement (its own transaction): a batch that
 * changes no rows (none of its events is the projection's) commits in one round trip instead of five. The
 * renewal and the advance happen together or not at all; `lease-lost` wins when both would fail.
 */
export async function advanceCheckpointUnderLease(
  db: SqlExecutor,
  instanceId: string,
  lease: { unitId: string; owner: string; ttlMs: number },
  advance: CheckpointAdvance,
): Promise<'advanced' | 'lease-lost' | 'checkpoint-moved'> {
  const { rows } = await db.query<{ held: string; advanced: string }>(
    `WITH renewed AS (
       UPDATE projection_leases SET expires_at = clock_timestamp() + $11 * interval '1 millisecond'
        WHERE instance_id = $12 AND owner = $10
          AND EXISTS (SELECT 1 FROM projection_instances WHERE instance_id = $1 AND commit_position = $2 AND prepare_position = $3)
        RETURNING 1
     ), advanced AS (
       UPDATE projection_instances SET ${ADVANCE_SET}
        WHERE instance_id = $1 AND commit_position = $2 AND prepare_position = $3 AND EXISTS (SELECT 1 FROM renewed)
        RETURNING 1
     )
     SELECT (SELECT COUNT(*) FROM projection_leases WHERE instance_id = $12 AND owner = $10) AS held,
            (SELECT COUNT(*) FROM advanced) AS advanced`,
    [...advanceParams(instanceId, advance), lease.owner, lease.ttlMs, lease.unitId],
  );
  if (Number(rows[0]!.held) !== 1) return 'lease-lost';
  return Number(rows[0]!.advanced) === 1 ? 'advanced' : 'checkpoint-moved';
}
