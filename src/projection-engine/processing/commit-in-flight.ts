/**
 * A batch's commit started and not yet waited for. Catching up, a pass starts the commit and folds the next batch
 * while PostgreSQL writes this one, so the fold (node) and the writes (PostgreSQL) overlap instead of taking
 * turns. Commits still go in one at a time and in order: the next starts only after this one has settled, and a
 * batch folded on top of one whose commit failed is dropped with it. The next batch takes the documents this one
 * leaves (pending-batch.ts), never reads them back before they are in.
 */
import type { Position } from '../../../contracts/envelope.js';
import { commitBatch, type BatchToCommit, type CommitOutcome, type CommitTarget } from './batch-commit.js';

export type SettledCommit = CommitOutcome | { kind: 'thrown'; error: unknown };

export interface CommitInFlight {
  batch: BatchToCommit & { passedOver: number };
  startedAt: number;
  outcome: Promise<SettledCommit>;
}

/** Starts the commit: its statements are built now (before this returns), its transaction runs on. */
export function startCommit(target: CommitTarget, batch: CommitInFlight['batch'], from: Position): CommitInFlight {
  const startedAt = performance.now();
  // Caught at once: an error surfaces when the pass settles the commit, never as an unhandled rejection.
  const outcome = commitBatch(target, batch, from).catch((error: unknown): SettledCommit => ({ kind: 'thrown', error }));
  return { batch, startedAt, outcome };
}
