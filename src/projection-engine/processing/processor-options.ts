/** What a projection processor is given (store, projection, instance, options, hooks) and what it reports. */
import type { Logger } from '@nestjs/common';
import type { Position } from '../../../contracts/envelope.js';
import type { AnyProjection } from '../../../projections/machinery/projection.js';
import type { SqlClient } from '../../database/sql-client.js';
import type { EventStore } from '../../event-store/event-store.port.js';
import type { ProjectionFailure } from '../instances/instances.js';
import type { SegmentShare } from './segment-share.js';

export interface ProcessorOptions {
  /** Most events committed in one transaction (their changes are merged in memory, not the events kept). */
  batchSize: number;
  /** A batch is committed at least this often while events keep coming (progress, and less to redo after a crash). */
  maxBatchMs: number;
  /** Events per subscription read. */
  readBatchSize: number;
  /**
   * How long a lease lives without renewal (renewed every third of it). Another process takes over a dead or
   * frozen holder's instance within about this plus a fifth of it (the acquire poll).
   */
  leaseTtlMs: number;
  /** Subscription fallback poll when no wake-up arrives. */
  pollIntervalMs: number;
  /**
   * While events keep arriving at the head, the least time between two reads (and so between two commits) of
   * one processor: under a stream of small appends (the bandit's), a processor reads and commits them in groups
   * instead of one by one. A read model lags by about this much more under load; none after a quiet spell.
   */
  headReadIntervalMs: number;
  /**
   * A live processor whose batch holds none of its projection's events (only its checkpoint would move) commits
   * it after this long at the latest, or with its next own event (0: at once). Its status lags by up to this.
   */
  idleCommitMs: number;
  /** How often a failed processor looks for a retry request. */
  failedPollMs: number;
  /** How often a live processor checks whether it was retired or dropped. */
  instanceCheckMs: number;
}

export const DEFAULT_PROCESSOR_OPTIONS: ProcessorOptions = {
  batchSize: 100_000,
  maxBatchMs: 5000,
  readBatchSize: 5000,
  leaseTtlMs: 2_000,
  pollIntervalMs: 1000,
  headReadIntervalMs: 250,
  idleCommitMs: 1000,
  failedPollMs: 2000,
  instanceCheckMs: 5000,
};

export interface BatchCommitted {
  instanceId: string;
  owner: string;
  events: number;
  position: Position;
  durationMs: number;
}

/** `instanceId` in the lease, batch and caught-up hooks is the unit's: `<instance>#<n>` for a segment. */
export interface ProcessorHooks {
  onLeaseAcquired?(instanceId: string, owner: string): void;
  onBatchCommitted?(batch: BatchCommitted): void;
  onCaughtUp?(instanceId: string, position: Position): void;
  onFailure?(instanceId: string, failure: ProjectionFailure): void;
  onPromoted?(instanceId: string, previous: string | null): void;
}

/** The segment a processor projects (of a segmented instance), and the process's share of segments. */
export interface SegmentUnit {
  index: number;
  count: number;
  share: SegmentShare;
}

export interface ProcessorDeps {
  sql: SqlClient;
  store: EventStore;
  projection: AnyProjection;
  instanceId: string;
  /** Only this segment of the instance (its own lease `<instance>#<index>` and checkpoint). */
  segment?: SegmentUnit;
  owner?: string;
  options?: Partial<ProcessorOptions>;
  hooks?: ProcessorHooks;
  logger?: Pick<Logger, 'log' | 'warn' | 'error'>;
}
