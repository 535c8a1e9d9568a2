/**
 * For read-model query handlers: which instance answers queries for (projection, rule set) right now.
 * Filter the projection's tables by `instance_id = <this>`; it changes when a rebuild is switched in.
 *
 *   const instanceId = await currentInstanceId(sql, 'outcome-counts');
 *   sql.query('SELECT * FROM outcome_counts WHERE instance_id = $1', [instanceId]);
 */
import type { SqlExecutor } from '../../database/sql-client.js';
import { normaliseRuleSetId } from './instance-id.js';
import { findCurrentInstanceId } from './instances.js';

export class NoCurrentInstanceError extends Error {
  constructor(readonly projectionName: string, readonly ruleSetId: string | null) {
    super(`Projection ${projectionName}${ruleSetId ? ` under rule set ${ruleSetId}` : ''} has no current instance yet`);
    this.name = 'NoCurrentInstanceError';
  }
}

/** The current instance id, or null when none has been built (or switched in) yet. */
export async function currentInstanceId(db: SqlExecutor, name: string, ruleSetId?: string | null): Promise<string | null> {
  return findCurrentInstanceId(db, name, normaliseRuleSetId(ruleSetId));
}

/** Like currentInstanceId, but throws NoCurrentInstanceError when there is none. */
export async function requireCurrentInstanceId(db: SqlExecutor, name: string, ruleSetId?: string | null): Promise<string> {
  const id = await currentInstanceId(db, name, ruleSetId);
  if (id === null) throw new NoCurrentInstanceError(name, ruleSetId ?? null);
  return id;
}
