/**
 * The read-model changes of the events read since the last commit, kept merged in memory (not the events
 * themselves): a commit can cover many read pages while memory stays bounded by the rows they touch.
 * Each page is folded in on its own, so a projection that throws stops exactly at the failing event: the
 * events before it are kept, the failure says which event it was.
 */
import type { RecordedEvent } from '../../../contracts/envelope.js';
import { combineMerged, mergeChanges, type MergedRow } from '../../../projections/machinery/merged-rows.js';
import { EventFoldError, foldDocuments, type DocumentSlot } from '../../../projections/machinery/documents.js';
import type { AnyProjection, ChangesProjection, DocumentProjection, ReadModelChange, RuleValues } from '../../../projections/machinery/projection.js';
import type { SqlExecutor } from '../../database/sql-client.js';
import { documentStatements, loadDocuments } from '../schema/document-rows.js';
import type { SqlStatement } from '../schema/sql-statement.js';
import type { StoredKeys } from '../schema/stored-keys.js';
import { mergedRowStatements } from '../schema/write-changes.js';

export interface BatchFailure {
  /** Index in the events given to `add`; the events before it were folded in. */
  index: number;
  error: unknown;
}

export interface PendingBatch {
  /** Folds events (already filtered to the projection's types, in order) into the batch. */
  add(events: readonly RecordedEvent[]): Promise<BatchFailure | null>;
  /**
   * The statements that write everything folded in so far, built before the commit transaction opens: a
   * transaction idle for longer than the lease's lifetime is ended by PostgreSQL, so no serialising inside it.
   */
  statements(): SqlStatement[];
  /** Called once the transaction that wrote the batch has committed. */
  committed(): void;
  /** Documents batches: every document the batch read or wrote, as the batch leaves it. */
  readonly documents?: ReadonlyMap<string, DocumentSlot<unknown>>;
}

/**
 * `db` reads documents (documents shape); the lease guarantees nobody else writes them meanwhile. `stored`,
 * when given, says which documents are certainly not stored (they are not read). `committing`: the batch
 * before this one while its transaction runs; its documents are taken as it leaves them, not read back.
 */
export function openBatch(
  projection: AnyProjection,
  rules: RuleValues,
  instanceId: string,
  db: SqlExecutor,
  stored?: StoredKeys | null,
  kept?: KeptDocuments,
  committing?: PendingBatch,
): PendingBatch {
  return projection.shape === 'documents'
    ? documentsBatch(projection, rules, instanceId, db, stored ?? null, kept ?? new Map(), committing?.documents)
    : changesBatch(projection, rules, instanceId);
}

/**
 * The documents a projection keeps in memory (`keptInMemory`) as its last committed batch left them, for one
 * pass: sound for the same reason as StoredKeys (nobody else writes the instance while the pass holds the lease).
 */
export type KeptDocuments = Map<string, DocumentSlot<unknown>>;

function changesBatch(projection: ChangesProjection<RuleValues, string>, rules: RuleValues, instanceId: string): PendingBatch {
  const merged = new Map<string, MergedRow>();
  const compute = (events: readonly RecordedEvent[]) => mergeChanges(projection.tables, projection.project(events, rules));
  return {
    async add(events) {
      if (events.length === 0) return null;
      let page: Map<string, MergedRow>;
      let failure: BatchFailure | null = null;
      try {
        page = compute(events);
        combineMerged(projection.tables, merged, page);
        return null;
      } catch (error) {
        failure = locateFailure(events, (prefix) => combineMerged(projection.tables, copyMerged(merged), compute(prefix)), error);
      }
      if (failure.index > 0) combineMerged(projection.tables, merged, compute(events.slice(0, failure.index)));
      return failure;
    },
    statements: () => mergedRowStatements(projection.tables, instanceId, merged.values()),
    committed: () => undefined,
  };
}

function copyMerged(rows: Map<string, MergedRow>): Map<string, MergedRow> {
  const copy = new Map<string, MergedRow>();
  for (const [id, row] of rows) {
    copy.set(id, {
      ...row,
      set: { ...row.set },
      inc: { ...row.inc },
      ...(row.latest ? { latest: { by: row.latest.by, set: { ...row.latest.set } } } : {}),
      ...(row.append ? { append: Object.fromEntries(Object.entries(row.append).map(([c, items]) => [c, [...items]])) } : {}),
    });
  }
  return copy;
}

/**
 * The first event whose inclusion makes the (pure) computation throw: the smallest k such that
 * compute(events[0..k]) throws, by bisection. The whole list is known to throw.
 */
export function locateFailure(
  events: readonly RecordedEvent[],
  compute: (events: readonly RecordedEvent[]) => unknown,
  wholeError: unknown,
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
  if (hi === events.length - 1) return { index: hi, error: wholeError };
  try {
    compute(events.slice(0, hi + 1));
    return { index: hi, error: wholeError };
  } catch (error) {
    return { index: hi, error };
  }
}

function documentsBatch(
  projection: DocumentProjection<unknown, RuleValues>,
  rules: RuleValues,
  instanceId: string,
  db: SqlExecutor,
  stored: StoredKeys | null,
  kept: KeptDocuments,
  before: ReadonlyMap<string, DocumentSlot<unknown>> | undefined,
): PendingBatch {
  const docs = new Map<string, DocumentSlot<unknown>>();
  const keep = new Set(projection.keptInMemory ?? []);
  const changed = new Set<string>();
  const rowChanges: ReadModelChange[] = [];
  const merged = new Map<string, MergedRow>();
  return {
    documents: docs,
    async add(events) {
      if (events.length === 0) return null;
      let failure: BatchFailure | null = null;
      let usable = events.length;
      const missing = new Set<string>();
      for (let i = 0; i < events.length; i++) {
        try {
          for (const key of projection.documentKeys(events[i]!, rules)) {
            if (docs.has(key)) continue;
            if (before?.has(key)) docs.set(key, before.get(key));
            else if (kept.has(key)) docs.set(key, kept.get(key));
            else if (stored?.knowsAbsent(key)) docs.set(key, undefined);
            else missing.add(key);
          }
        } catch (error) {
          failure = { index: i, error };
          usable = i;
          break;
        }
      }
      if (missing.size > 0) {
        for (const [key, doc] of await loadDocuments(db, projection.documentTable, instanceId, [...missing])) docs.set(key, doc);
      }
      try {
        foldDocuments(projection, rules, events.slice(0, usable), docs, changed, rowChanges);
      } catch (error) {
        if (!(error instanceof EventFoldError)) throw error;
        failure = { index: error.index, error: error.cause };
      }
      if (projection.tables && rowChanges.length > 0) {
        // Validated as they are merged; an invalid change is a bug of the definition, not of one event.
        mergeChanges(projection.tables, rowChanges, merged);
        rowChanges.length = 0;
      }
      return failure;
    },
    statements: () => [
      ...documentStatements(projection.documentTable, instanceId, docs, changed),
      ...(projection.tables ? mergedRowStatements(projection.tables, instanceId, merged.values()) : []),
    ],
    committed() {
      for (const key of keep) if (docs.has(key)) kept.set(key, docs.get(key));
      if (!stored) return;
      const present = [...changed].filter((key) => docs.get(key) !== null && docs.get(key) !== undefined);
      stored.committed(present, [...changed].filter((key) => docs.get(key) === null || docs.get(key) === undefined));
    },
  };
}
