/** `lessonloop projections ...` through a running server's HTTP API (GET/POST/DELETE /projections...). */
import type { ProgressView } from '../../projection-engine/cli/rebuild-progress.js';
import type { InstanceStatus } from '../../projection-engine/status/status.js';
import { CliError } from '../support/known-errors.js';
import type { ServerClient } from './server-client.js';

const path = (id: string) => encodeURIComponent(id);

export async function remoteStatus(client: ServerClient): Promise<InstanceStatus[]> {
  return (await client.get<{ instances: InstanceStatus[] }>('/projections')).instances;
}

/** Asks the server for the rebuild; unless `wait` is false, follows GET /projections until it is current or failed. */
export async function remoteRebuild(
  client: ServerClient,
  name: string,
  ruleSetId: string | undefined,
  wait: boolean,
  view: ProgressView,
  pollMs = 500,
): Promise<string> {
  const before = await client.get<{ instances: InstanceStatus[] }>('/projections', { name });
  const previous = before.instances.find((s) => s.current && (s.ruleSetId ?? null) === (ruleSetId ?? null))?.instanceId;
  const created = await client.send<{ instanceId: string }>('POST', `/projections/${path(name)}/rebuild`, ruleSetId ? { ruleSetId } : {});
  if (!wait) return `Created ${created.instanceId}; it becomes current once it has caught up (see projections status).`;
  for (;;) {
    const status = (await client.get<{ instances: InstanceStatus[] }>('/projections', { name })).instances.find((s) => s.instanceId === created.instanceId);
    if (!status) throw new CliError(`Instance ${created.instanceId} disappeared (dropped while rebuilding?)`);
    view.update(status);
    if (status.state === 'failed') {
      view.finish(status);
      const error = status.error;
      throw new CliError(
        `${created.instanceId} stopped at event ${error?.eventId} (${error?.eventType}, global position ${error?.globalPosition}): ` +
          `${error?.message}. ${previous ?? 'The previous instance'} stays current.`,
      );
    }
    if (status.current && status.state === 'live') {
      view.finish(status);
      return `${created.instanceId} is now current${previous ? `; ${previous} is retired (drop it with: lessonloop projections drop ${previous})` : ''}.`;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

export async function remoteDrop(client: ServerClient, instanceId: string): Promise<void> {
  await client.send('DELETE', `/projections/instances/${path(instanceId)}`);
}

export async function remoteRetry(client: ServerClient, instanceId: string): Promise<boolean> {
  return (await client.send<{ retrying: boolean }>('POST', `/projections/instances/${path(instanceId)}/retry`)).retrying;
}

export async function remoteSkip(client: ServerClient, instanceId: string, eventId: string, reason: string): Promise<{ eventId: string; eventType: string }> {
  return client.send('POST', `/projections/instances/${path(instanceId)}/skip`, { eventId, reason });
}
