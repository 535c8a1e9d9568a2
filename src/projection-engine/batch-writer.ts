/**
 * Applying one batch of (relevant) events for either projection shape, inside the batch transaction. A
 * projection that throws stops at the failing event: the events before it are still written, and the
 * failure says which event it was.
 */
import type { RecordedEvent } from '../../contracts/envelope.js';
import { mergeChanges, type MergedRow } from '../../projections/changes.js';
import { EventFoldError, foldDocuments, type DocumentSlot } from '../../projections/documents.js';
import type { ChangesProjection, DocumentProjection, AnyProjection, RuleValues } from '../../projections/projection.js';
import type { SqlExecutor } from '../database/sql-client.js';
import { loadDocuments, saveDocuments } from './document-rows.js';
import { writeMergedRows } from './write-changes.js';

export interface BatchFailure {
  /** Index in the events given to `write`; the events before it were written. */
  index: number;
  error: unknown;
}

export interface BatchWriter {
  write(tx: SqlExecutor, events: readonly RecordedEvent[]): Promise<BatchFailure | null>;
}

export function batchWriter(projection: AnyProjection, rules: RuleValues, instanceId: string): BatchWriter {
  return projection.shape === 'documents'
    ? documentsWriter(projection, rules, instanceId)
    : changesWriter(projection, rules, instanceId);
}

function changesWriter(projection: ChangesProjection<RuleValues, string>, rules: RuleValues, instanceId: string): BatchWriter {
  const compute = (events: readonly RecordedEvent[]) => mergeChanges(projection.tables, projection.project(events, rules));
  return {
    async write(tx, events) {
      if (events.length === 0) return null;
      let merged: Map<string, MergedRow>;
      let failure: BatchFailure | null = null;
      try {
        merged = compute(events);
      } catch (error) {
        failure = locateFailure(events, compute, error);
        merged = failure.index > 0 ? compute(events.slice(0, failure.index)) : new Map();
      }
      await writeMergedRows(tx, projection.tables, instanceId, merged.values());
      return failure;
    },
  };
}

/**
 * The first event whose inclusion makes the (pure) batch computation throw: the smallest k such that
 * compute(events[0..k]) throws, found by bisection. The whole batch is known to throw.
 */
export function locateFailure(
  events: readonly RecordedEvent[],
  compute: (events: readonly RecordedEvent[]) => unknown,
  wholeBatchError: unknown,
): BatchFailure {
  let lo = 0;
  let hi = events.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    try {
      compute(events.slice(0, mid + 1));
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  if (hi === events.length - 1) return { index: hi, error: wholeBatchError };
  try {
    compute(events.slice(0, hi + 1));
    return { index: hi, error: wholeBatchError };
  } catch (error) {
    return { index: hi, error };
  }
}

function documentsWriter(projection: DocumentProjection<unknown, RuleValues>, rules: RuleValues, instanceId: string): BatchWriter {
  return {
    async write(tx, events) {
      if (events.length === 0) return null;
      let failure: BatchFailure | null = null;
      let usable = events.length;
      const keys = new Set<string>();
      for (let i = 0; i < events.length; i++) {
        try {
          for (const key of projection.documentKeys(events[i]!, rules)) keys.add(key);
        } catch (error) {
          failure = { index: i, error };
          usable = i;
          break;
        }
      }
      const docs: Map<string, DocumentSlot<unknown>> = await loadDocuments(tx, projection.documentTable, instanceId, [...keys]);
      const changed = new Set<string>();
      try {
        foldDocuments(projection, rules, events.slice(0, usable), docs, changed);
      } catch (error) {
        if (!(error instanceof EventFoldError)) throw error;
        failure = { index: error.index, error: error.cause };
      }
      await saveDocuments(tx, projection.documentTable, instanceId, docs, changed);
      return failure;
    },
  };
}
