import type { DataSource } from 'typeorm';
import { normaliseRuleSetId } from '../../projection-engine/instances/instance-id.js';

/** The current instance of a projection (under a rule set) and where its checkpoint is. */
export interface InstanceState {
  instanceId: string;
  /** Changes whenever the instance projects another batch. */
  version: string;
  rules: Record<string, unknown>;
}

/** One indexed lookup; null when the projection has no current instance yet. */
export async function currentInstanceState(dataSource: DataSource, name: string, ruleSetId?: string | null): Promise<InstanceState | null> {
  const rows = (await dataSource.query(
    `SELECT i.instance_id, i.commit_position::text AS c, i.prepare_position::text AS p, i.rules
       FROM projection_current cur JOIN projection_instances i ON i.instance_id = cur.instance_id
      WHERE cur.name = $1 AND cur.rule_set_id = $2`,
    [name, normaliseRuleSetId(ruleSetId)],
  )) as { instance_id: string; c: string; p: string; rules: Record<string, unknown> }[];
  const row = rows[0];
  if (!row) return null;
  return { instanceId: row.instance_id, version: `${row.instance_id}@${row.c}/${row.p}`, rules: row.rules };
}
