/**
 * Commits one batch: the fence (our lease), the read-model changes and the checkpoint compare-and-set, in
 * ONE transaction, so rows and checkpoint are either both in or neither is (a batch without rows: one statement). Every outcome other than
 * `committed` wrote nothing; each is named after what the processor does next.
 */
import type { Position, RecordedEvent } from '../../../contracts/envelope.js';
import type { SqlClient } from '../../database/sql-client.js';
import { advanceCheckpoint, advanceCheckpointUnderLease } from '../instances/checkpoint-advance.js';
import { LeaseLostError, renewLease } from '../instances/lease.js';
import { advanceSegmentCheckpoint, summariseSegments } from '../instances/segments.js';
import { isDataError } from './failures.js';
import type { PendingBatch } from './pending-batch.js';
import type { RateWindow } from './rate-window.js';

/** The folded events waiting for their commit: `events` of them (all read, handled or not), the last `last`. */
export interface BatchToCommit {
  pending: PendingBatch;
  events: number;
  /** Log events before `last` that a filtered read skipped: counted as processed, never folded. */
  passedOver?: number;
  last: RecordedEvent;
}

export type CommitOutcome =
  /** Rows and checkpoint are in: fold on from `last`. */
  | { kind: 'committed' }
  /** Our lease was taken over: stop projecting and wait for the lease again. */
  | { kind: 'lease-lost-reacquire' }
  /** Another processor moved the checkpoint: read the instance again and resume from its checkpoint. */
  | { kind: 'checkpoint-moved-reload' }
  /**
   * The database refused a value of a batch of several events: resume from the checkpoint with one event
   * per transaction up to `until`, which finds the event to stop at.
   */
  | { kind: 'redo-singly-reload'; until: Position; error: unknown }
  /** The database refused a value of the batch's only event: record the failure and wait for a retry. */
  | { kind: 'event-failed-wait'; event: RecordedEvent; error: unknown };

export interface CommitTarget {
  sql: SqlClient;
  instanceId: string;
  /** The lease's id: the instance's, or its segment's. */
  unitId: string;
  /** A segment's batch: its own checkpoint row moves, then the instance's summary. */
  segment?: number;
  owner: string;
  leaseTtlMs: number;
  /** The instance's rate, stored with the checkpoint (the batch counted in). */
  rate: RateWindow;
}

class CheckpointMovedError extends Error {
  constructor(readonly instanceId: string) {
    super(`The checkpoint of ${instanceId} was moved by another processor`);
    this.name = 'CheckpointMovedError';
  }
}

/** Commits `batch` on top of checkpoint `from`. Errors other than those named in CommitOutcome are thrown. */
export async function commitBatch(target: CommitTarget, batch: BatchToCommit, from: Position): Promise<CommitOutcome> {
  const { sql, instanceId, unitId, segment, owner } = target;
  const { pending, events, last } = batch;
  const passed = events + (batch.passedOver ?? 0);
  const advance = {
    from,
    to: last.position,
    events: passed,
    lastGlobalPosition: last.globalPosition,
    lastRecordedAt: last.recordedAt,
    eventsPerSecond: target.rate.perSecondWith(passed),
  };
  try {
    const statements = pending.statements();
    if (statements.length === 0 && segment === undefined) {
      // Only the checkpoint moves (most batches of most projections while the log grows with others' events).
      const moved = await advanceCheckpointUnderLease(sql, instanceId, { unitId, owner, ttlMs: target.leaseTtlMs }, advance);
      if (moved === 'lease-lost') return { kind: 'lease-lost-reacquire' };
      if (moved === 'checkpoint-moved') return { kind: 'checkpoint-moved-reload' };
      pending.committed();
      return { kind: 'committed' };
    }
    await sql.transaction(async (tx) => {
      // A holder frozen inside this transaction (SIGSTOP, a long GC pause) would keep the lease row locked and
      // block every other process's takeover: PostgreSQL ends such a session after the lease's lifetime, which
      // rolls the transaction (and its renewal) back, so the others take over and the frozen one writes nothing.
      if (sql.kind === 'postgres') await tx.query(`SET LOCAL idle_in_transaction_session_timeout = ${Math.ceil(target.leaseTtlMs)}`);
      if (!(await renewLease(tx, unitId, owner, target.leaseTtlMs))) throw new LeaseLostError(unitId, owner);
      for (const statement of statements) await tx.query(statement.text, statement.params);
      const advanced =
        segment === undefined
          ? await advanceCheckpoint(tx, instanceId, advance)
          : await advanceSegmentCheckpoint(tx, instanceId, segment, advance);
      if (!advanced) throw new CheckpointMovedError(instanceId);
    });
  } catch (error) {
    if (error instanceof LeaseLostError) return { kind: 'lease-lost-reacquire' };
    if (error instanceof CheckpointMovedError) return { kind: 'checkpoint-moved-reload' };
    if (!isDataError(error)) throw error;
    return events === 1 ? { kind: 'event-failed-wait', event: last, error } : { kind: 'redo-singly-reload', until: last.position, error };
  }
  pending.committed();
  // Best effort: the next commit of any segment refreshes it again.
  if (segment !== undefined) await summariseSegments(sql, instanceId, segment, advance).catch(() => undefined);
  return { kind: 'committed' };
}
