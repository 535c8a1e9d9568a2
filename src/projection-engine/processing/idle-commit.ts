/**
 * At the head, a batch holding none of the projection's events (only its checkpoint would move) may wait up to
 * `idleCommitMs` for company: under a stream of other projections' events an instance then writes its
 * checkpoint about once a second instead of once per read. Nothing is lost by waiting: a restart re-reads those
 * events and applies none of them. Live, unsegmented instances only: a rebuild is promoted, and a segment
 * summarised, at its committed checkpoint.
 */
export interface IdleBatch {
  /** The projection's own events in the batch. */
  relevant: number;
  startedAt: number;
}

export interface IdleCommitUnit {
  idleCommitMs: number;
  live: boolean;
  segmented: boolean;
  handingOver: boolean;
}

/** The batch is only a checkpoint move and may wait (see above). */
export function mayDeferIdleCommit(batch: IdleBatch | undefined, unit: IdleCommitUnit): boolean {
  if (!holdsOnlyCheckpoint(batch, unit.idleCommitMs)) return false;
  if (!unit.live || unit.segmented || unit.handingOver) return false;
  return performance.now() - batch!.startedAt < unit.idleCommitMs;
}

export function holdsOnlyCheckpoint(batch: IdleBatch | undefined, idleCommitMs: number): boolean {
  return batch !== undefined && batch.relevant === 0 && idleCommitMs > 0;
}

/** `next`, or 'due' if the deferred batch's time comes first. */
export async function nextOrDue<T>(next: Promise<T>, batch: IdleBatch, idleCommitMs: number): Promise<T | 'due'> {
  let timer: NodeJS.Timeout | undefined;
  const dueMs = Math.max(0, batch.startedAt + idleCommitMs - performance.now());
  const due = new Promise<'due'>((resolve) => (timer = setTimeout(() => resolve('due'), dueMs)));
  try {
    return await Promise.race([next, due]);
  } finally {
    clearTimeout(timer);
  }
}
