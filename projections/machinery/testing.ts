/**
 * Given these events, then this state: run a projection in memory, no database. The semantics are the
 * engine's (same merge of changes, same document fold), and every run also checks that the result does not
 * depend on how the events are cut into batches (the engine cuts them differently after every restart).
 *
 *   const then = given(outcomeCounts, [outcome({ model: 'm', test: 't', passed: true })]);
 *   expect(then.rows('outcome_counts')).toEqual([{ model: 'm', ..., passes: 1, fails: 0 }]);
 */
import type { EventMetadata, RecordedEvent } from '../../contracts/envelope.js';
import { compareColumnValues, defaultValue } from './column-values.js';
import { mergeChanges, type MergedRow } from './merged-rows.js';
import type { ReadModelChange, RowValue, TableSpec } from './read-model-changes.js';
import { foldDocuments, type DocumentSlot } from './documents.js';
import {
  handles,
  resolveRules,
  type ChangesProjection,
  type DocumentProjection,
  type RuleValues,
} from './projection.js';

/** An event as a spec writes it; everything but type and data gets a deterministic default. */
export interface GivenEvent {
  type: string;
  data: unknown;
  eventId?: string;
  streamId?: string;
  schemaVersion?: number;
  metadata?: Partial<EventMetadata>;
  recordedAt?: Date | string;
}

export interface GivenOptions {
  /** A rule set's parameters (overrides the projection's default rules). */
  ruleSet?: RuleValues;
}

export type Row = Record<string, RowValue>;

export interface RowsOutcome<TTable extends string> {
  /** The rows of a table sorted by key, every declared column present; optionally only those matching `where`. */
  rows(table: TTable, where?: Partial<Row>): Row[];
  readonly tables: Record<TTable, Row[]>;
}

export interface DocumentsOutcome<TDoc> {
  readonly documents: Record<string, TDoc>;
  document(key: string): TDoc | undefined;
  /** The rows of the projection's `tables` (if it declares any), as for a `changes` projection. */
  rows(table: string, where?: Partial<Row>): Row[];
  readonly tables: Record<string, Row[]>;
}

const BASE_TIME = Date.parse('2026-01-01T00:00:00.000Z');

/** Turns spec events into recorded events with increasing positions (commit 1, prepare 1, 2, 3...). */
export function recordedEvents(events: readonly (GivenEvent | RecordedEvent)[]): RecordedEvent[] {
  return events.map((event, index) => {
    if ('position' in event) return event;
    const n = index + 1;
    const at = new Date(BASE_TIME + index * 1000);
    const recordedAt = event.recordedAt === undefined ? at : new Date(event.recordedAt);
    return {
      eventId: event.eventId ?? `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
      type: event.type,
      schemaVersion: event.schemaVersion ?? 1,
      data: event.data,
      metadata: { occurredAt: at.toISOString(), source: 'test', ...event.metadata },
      streamId: event.streamId ?? 'test-stream',
      streamRevision: BigInt(index),
      position: { commit: 1n, prepare: BigInt(n) },
      globalPosition: BigInt(n),
      recordedAt,
    };
  });
}

export function given<TDoc, TRules extends RuleValues>(
  projection: DocumentProjection<TDoc, TRules>,
  events: readonly (GivenEvent | RecordedEvent)[],
  options?: GivenOptions,
): DocumentsOutcome<TDoc>;
export function given<TRules extends RuleValues, TTable extends string>(
  projection: ChangesProjection<TRules, TTable>,
  events: readonly (GivenEvent | RecordedEvent)[],
  options?: GivenOptions,
): RowsOutcome<TTable>;
export function given(
  projection: DocumentProjection<unknown, RuleValues> | ChangesProjection<RuleValues, string>,
  events: readonly (GivenEvent | RecordedEvent)[],
  options: GivenOptions = {},
): DocumentsOutcome<unknown> | RowsOutcome<string> {
  const recorded = recordedEvents(events);
  const rules = resolveRules(projection, options.ruleSet);
  const batchings = [recorded.length || 1, 1, 3];
  if (projection.shape === 'documents') {
    const results = batchings.map((size) => documentsInBatches(projection, rules, recorded, size));
    assertSameForEveryBatching(projection.name, results, batchings);
    const { documents, tables } = results[0]!;
    return { documents, document: (key) => documents[key], tables, rows: rowsOf(tables) };
  }
  const results = batchings.map((size) => tablesInBatches(projection, rules, recorded, size));
  assertSameForEveryBatching(projection.name, results, batchings);
  const tables = results[0]!;
  return { tables, rows: rowsOf(tables) };
}

function rowsOf(tables: Record<string, Row[]>): (table: string, where?: Partial<Row>) => Row[] {
  return (table, where) => (tables[table] ?? []).filter((row) => !where || Object.entries(where).every(([c, v]) => sameValue(row[c], v)));
}

function documentsInBatches(
  projection: DocumentProjection<unknown, RuleValues>,
  rules: RuleValues,
  events: RecordedEvent[],
  batchSize: number,
): { documents: Record<string, unknown>; tables: Record<string, Row[]> } {
  const docs = new Map<string, DocumentSlot<unknown>>();
  const tableSpecs = projection.tables ?? {};
  const stored = new Map<string, Map<string, Row>>(Object.keys(tableSpecs).map((table) => [table, new Map()]));
  for (const batch of batches(events, batchSize)) {
    const changes: ReadModelChange[] = [];
    foldDocuments(projection, rules, batch.filter((e) => handles(projection, e)), docs, new Set(), changes);
    for (const row of mergeChanges(tableSpecs, changes).values()) applyMerged(tableSpecs[row.table]!, stored.get(row.table)!, row);
  }
  const documents: Record<string, unknown> = {};
  for (const key of [...docs.keys()].sort()) {
    const doc = docs.get(key);
    if (doc !== undefined && doc !== null) documents[key] = doc;
  }
  return { documents, tables: sortedTables(stored) };
}

function sortedTables(stored: Map<string, Map<string, Row>>): Record<string, Row[]> {
  const out: Record<string, Row[]> = {};
  for (const [table, rows] of stored) {
    out[table] = [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
  }
  return out;
}

function tablesInBatches(
  projection: ChangesProjection<RuleValues, string>,
  rules: RuleValues,
  events: RecordedEvent[],
  batchSize: number,
): Record<string, Row[]> {
  const stored = new Map<string, Map<string, Row>>();
  for (const table of Object.keys(projection.tables)) stored.set(table, new Map());
  for (const batch of batches(events, batchSize)) {
    const relevant = batch.filter((e) => handles(projection, e));
    if (relevant.length === 0) continue;
    const merged = mergeChanges(projection.tables, projection.project(relevant, rules));
    for (const row of merged.values()) applyMerged(projection.tables[row.table]!, stored.get(row.table)!, row);
  }
  return sortedTables(stored);
}

/** The in-memory twin of the engine's SQL: delete first, then insert-or-update with set and increments. */
export function applyMerged(spec: TableSpec, rows: Map<string, Row>, change: MergedRow): void {
  if (change.deleteFirst) rows.delete(change.keyId);
  if (!change.present) return;
  let row = rows.get(change.keyId);
  if (!row) {
    row = { ...change.key };
    for (const [column, type] of Object.entries(spec.columns)) row[column] = defaultValue(type);
    rows.set(change.keyId, row);
  }
  Object.assign(row, change.set);
  for (const [column, delta] of Object.entries(change.inc)) {
    const current = row[column];
    row[column] = typeof current === 'bigint' ? current + BigInt(delta) : Number(current ?? 0) + delta;
  }
  for (const [column, items] of Object.entries(change.append ?? {})) {
    const stored = row[column];
    if (spec.columns[column] === 'text') row[column] = [...(typeof stored === 'string' ? [stored] : []), ...(items as string[])].join('\n');
    else row[column] = [...(Array.isArray(stored) ? stored : []), ...items];
  }
  if (change.latest) {
    const { by, set } = change.latest;
    const stored = row[by];
    if (stored === null || stored === undefined || compareColumnValues(spec.columns[by]!, set[by]!, stored) >= 0) {
      Object.assign(row, set);
    }
  }
}

function* batches<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

function assertSameForEveryBatching(name: string, results: unknown[], batchings: number[]): void {
  const [first, ...rest] = results.map(canonical);
  rest.forEach((other, i) => {
    if (other !== first) {
      throw new Error(
        `Projection ${name} gives different results when the events arrive in batches of ${batchings[i + 1]} ` +
          `instead of all at once: it must not depend on batch boundaries.\nall at once: ${first}\n` +
          `in batches of ${batchings[i + 1]}: ${other}`,
      );
    }
  });
}

/** JSON with Dates as ISO strings and bigints as decimal strings, for comparisons. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}
