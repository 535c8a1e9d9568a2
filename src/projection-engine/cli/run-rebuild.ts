/**
 * The CLI rebuild: creates the new instance, projects it in this process (if another process holds its
 * lease, that one does the work and this one just reports), shows progress until the instance has caught
 * up and become current, or stops at a failure.
 */
import type { InstanceRecord } from '../instances/instances.js';
import type { ProjectionEngine } from '../projection-engine.js';
import type { InstanceStatus } from '../status/status.js';
import type { ProgressView } from './rebuild-progress.js';

export interface RebuildOutcome {
  instance: InstanceRecord;
  /** The final status (current and live), or the failed one. */
  status: InstanceStatus | undefined;
  failed: boolean;
}

export async function runRebuild(
  engine: ProjectionEngine,
  name: string,
  ruleSetId: string | null,
  view: ProgressView,
  pollMs = 500,
): Promise<RebuildOutcome> {
  await engine.prepare();
  const instance = await engine.rebuild(name, ruleSetId);
  engine.run(instance.instanceId, name);
  let status: InstanceStatus | undefined;
  for (;;) {
    status = (await engine.status(name)).find((s) => s.instanceId === instance.instanceId);
    if (!status) throw new Error(`Instance ${instance.instanceId} disappeared (dropped while rebuilding?)`);
    view.update(status);
    if (status.state === 'failed') {
      view.finish(status);
      return { instance, status, failed: true };
    }
    if (status.current && status.state === 'live') {
      view.finish(status);
      return { instance, status, failed: false };
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
