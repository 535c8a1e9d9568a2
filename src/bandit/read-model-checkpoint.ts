/**
 * Where a read model the bandit reads stands: its current instance and that instance's checkpoint, or null
 * when it has never been built in this database (not even the engine's tables: a one-shot CLI command on a
 * store no server ever projected).
 */
import type { Position } from '../../contracts/envelope.js';
import type { SqlExecutor } from '../database/sql-client.js';
import { currentInstanceId } from '../projection-engine/instances/current-instance.js';

export interface ReadModelStand {
  instanceId: string;
  /** null: the instance has not processed any event yet. */
  checkpoint: Position | null;
  /** Whether a processor (in any process) holds the instance's lease (or a segment's) now, i.e. the read model is moving. */
  projecting: boolean;
}

const UNDEFINED_TABLE = '42P01';

export async function readModelStand(sql: SqlExecutor, projectionName: string): Promise<ReadModelStand | null> {
  try {
    const instanceId = await currentInstanceId(sql, projectionName);
    if (!instanceId) return null;
    const { rows } = await sql.query<{ commit_position: string; prepare_position: string; projecting: boolean }>(
      `SELECT i.commit_position::text AS commit_position, i.prepare_position::text AS prepare_position,
              EXISTS (SELECT 1 FROM projection_leases l WHERE (l.instance_id = i.instance_id OR l.instance_id LIKE i.instance_id || '#%')
                        AND l.expires_at > now()) AS projecting
         FROM projection_instances i WHERE i.instance_id = $1`,
      [instanceId],
    );
    const row = rows[0];
    if (!row) return null;
    const checkpoint = BigInt(row.commit_position) < 0n ? null : { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) };
    return { instanceId, checkpoint, projecting: row.projecting };
  } catch (error) {
    if ((error as { code?: string }).code === UNDEFINED_TABLE) return null;
    throw error;
  }
}
