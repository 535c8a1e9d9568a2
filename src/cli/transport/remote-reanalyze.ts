/** `lessonloop reanalyze` through a server: POST /rule-sets then follow GET /projections; GET /analyses/compare. */
import type { InstanceStatus } from '../../projection-engine/status/status.js';
import { CliError } from '../support/known-errors.js';
import type { ServerClient } from './server-client.js';

/** GET /analyses/compare with every page of differences, answered in the in-process compare's shape. */
export async function remoteCompare<R extends { differences: unknown[] }>(client: ServerClient, a: string, b: string): Promise<R> {
  const first = await client.get<Record<string, unknown> & { items: unknown[]; total: number }>('/analyses/compare', { a, b, limit: 500, offset: 0 });
  const differences = [...first.items];
  while (differences.length < first.total) {
    const page = await client.get<{ items: unknown[] }>('/analyses/compare', { a, b, limit: 500, offset: differences.length });
    if (page.items.length === 0) break;
    differences.push(...page.items);
  }
  const { items: _items, total: _total, offset: _offset, limit: _limit, ...rest } = first;
  return { ...rest, differences } as unknown as R;
}

export interface RemoteDefinition {
  ruleSet: { ruleSetId: string; parameters: Record<string, unknown> };
  instances: { instanceId: string }[];
  counts: Record<string, number>;
}

/** Defines the rule set on the server, waits for its instances to be built, and counts its experiments by status. */
export async function remoteDefine(
  client: ServerClient,
  body: { name: string; parameters: Record<string, unknown>; ruleSetId?: string },
  onProgress: (statuses: InstanceStatus[]) => void,
  pollMs = 500,
): Promise<RemoteDefinition> {
  const created = await client.send<{ ruleSet: RemoteDefinition['ruleSet']; instances: { instanceId: string }[] }>('POST', '/rule-sets', body);
  const ids = new Set(created.instances.map((i) => i.instanceId));
  while (ids.size > 0) {
    const statuses = (await client.get<{ instances: InstanceStatus[] }>('/projections')).instances.filter((s) => ids.has(s.instanceId));
    onProgress(statuses);
    const failed = statuses.filter((s) => s.state === 'failed');
    if (failed.length > 0) throw new CliError(`Build failed: ${failed.map((s) => `${s.instanceId}: ${s.error?.message}`).join('; ')}`);
    if (statuses.length === ids.size && statuses.every((s) => s.current && s.state === 'live')) break;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  const listed = await client.get<{ counts: Record<string, number> }>('/experiments', { ruleSet: created.ruleSet.ruleSetId, limit: 1 });
  return { ...created, counts: listed.counts };
}
