/**
 * What the engine runs for one instance in this process: its processor, or for a segmented instance one
 * processor per segment (each waits for its own lease, within this process's share: segment-share.ts).
 */
import { ProjectionProcessor } from './processor.js';
import type { ProcessorDeps } from './processor-options.js';
import type { SegmentShare } from './segment-share.js';

export interface RunningInstance {
  readonly instanceId: string;
  /** The lease owner this process projects with. */
  readonly owner: string;
  /** Resolves once every unit here has applied what its last read found (or ended). */
  whenCaughtUp(): Promise<void>;
  finished(): Promise<void>;
  retry(): void;
  stop(): Promise<void>;
}

/** Starts the instance's processor, or one per segment sharing the process's `share` (created on first use). */
export function startRunning(deps: ProcessorDeps, share: () => SegmentShare): RunningInstance {
  const segmentation = deps.projection.segmentation;
  if (!segmentation) return new ProjectionProcessor(deps).start();
  const shared = share();
  shared.start();
  const { count } = segmentation;
  const units = Array.from({ length: count }, (_, index) =>
    new ProjectionProcessor({ ...deps, owner: shared.workerId, segment: { index, count, share: shared } }).start(),
  );
  return new SegmentGroup(deps.instanceId, shared.workerId, units);
}

export class SegmentGroup implements RunningInstance {
  constructor(
    readonly instanceId: string,
    readonly owner: string,
    readonly units: readonly ProjectionProcessor[],
  ) {}

  async whenCaughtUp(): Promise<void> {
    await Promise.all(this.units.map((u) => u.whenCaughtUp()));
  }

  async finished(): Promise<void> {
    await Promise.all(this.units.map((u) => u.finished()));
  }

  retry(): void {
    for (const unit of this.units) unit.retry();
  }

  async stop(): Promise<void> {
    await Promise.all(this.units.map((u) => u.stop()));
  }
}
