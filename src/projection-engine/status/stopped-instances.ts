import { sqlState } from '../../database/database-errors.js';
import type { SqlExecutor } from '../../database/sql-client.js';
import type { ProjectionFailure, RetryState } from '../instances/instances.js';

/** An instance that is not projecting: it stopped at an event, or a table it needs is missing. */
export interface StoppedInstance {
  instanceId: string;
  state: 'failed' | 'relation-missing';
  /** Where it stopped (failed): the event's id, type and position, and the SQL error. */
  eventId?: string;
  eventType?: string;
  position?: ProjectionFailure['position'];
  sqlState?: string;
  message: string;
}

/** The instances (not retired) that stopped, in one cheap query: what /health reports. */
export async function stoppedInstances(db: SqlExecutor): Promise<StoppedInstance[]> {
  let rows: { instance_id: string; error: ProjectionFailure | null; retry: RetryState | null }[];
  try {
    ({ rows } = await db.query<{ instance_id: string; error: ProjectionFailure | null; retry: RetryState | null }>(
      `SELECT instance_id, error, retry FROM projection_instances
        WHERE phase <> 'retired' AND (error IS NOT NULL OR retry->>'cause' = 'missing-relation')
        ORDER BY instance_id`,
    ));
  } catch (error) {
    if (sqlState(error) === '42P01') return []; // no engine tables yet: nothing has been projected
    throw error;
  }
  return rows.map((row): StoppedInstance => {
    if (row.error) {
      const { eventId, eventType, position, sqlState: state, message } = row.error;
      return { instanceId: row.instance_id, state: 'failed', eventId, eventType, position, ...(state ? { sqlState: state } : {}), message };
    }
    return { instanceId: row.instance_id, state: 'relation-missing', ...(row.retry!.sqlState ? { sqlState: row.retry!.sqlState } : {}), message: row.retry!.message };
  });
}
