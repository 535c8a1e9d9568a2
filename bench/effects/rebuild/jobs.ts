import type { Job as RebuildJob, JobResult } from '../../rebuild/jobs.js';
import type { WorldLogShape } from '../world-log.js';

/** What the parent asks a child process to do: append the world, read it raw, or rebuild effect read models. */
export type EffectsJob =
  | { kind: 'append'; url: string; shape: WorldLogShape }
  | (RebuildJob & { kind: 'raw-cursor' })
  | { kind: 'rebuild'; url: string; projections: string[]; readBatch: number; commitBatch: number; rssMarks: number[]; leaseTtlMs?: number };

export type { JobResult };
