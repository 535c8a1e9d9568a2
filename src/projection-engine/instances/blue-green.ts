/**
 * Blue/green switching: a rebuilt instance becomes current for its (name, rule set) once it has caught
 * up; the instance it replaces is retired (kept, no longer projected) until someone drops it.
 */
import type { SqlClient } from '../../database/sql-client.js';
import { findCurrentInstanceId, setCurrentInstance, setPhase, type InstancePhase } from './instances.js';

export interface Promotion {
  promoted: boolean;
  previous: string | null;
}

export async function promoteToCurrent(sql: SqlClient, instanceId: string): Promise<Promotion> {
  return sql.transaction(async (tx) => {
    const { rows } = await tx.query<{ name: string; rule_set_id: string; phase: InstancePhase }>(
      'SELECT name, rule_set_id, phase FROM projection_instances WHERE instance_id = $1 FOR UPDATE',
      [instanceId],
    );
    const instance = rows[0];
    if (!instance || instance.phase === 'retired') return { promoted: false, previous: null };
    const previous = await findCurrentInstanceId(tx, instance.name, instance.rule_set_id);
    await setCurrentInstance(tx, instance.name, instance.rule_set_id, instanceId);
    if (previous && previous !== instanceId) {
      await tx.query(
        `UPDATE projection_instances SET phase = 'retired', updated_at = clock_timestamp() WHERE instance_id = $1`,
        [previous],
      );
    }
    await setPhase(tx, instanceId, 'live');
    return { promoted: true, previous: previous === instanceId ? null : previous };
  });
}
