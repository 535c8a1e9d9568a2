/**
 * How a batch of read-model changes collapses to one final change per row (MergedRow). Pure: the engine
 * turns merged rows into batched SQL; `projections/machinery/testing.ts` applies them to in-memory tables
 * with the same semantics.
 */
import { compareColumnValues } from './column-values.js';
import { NUMERIC_COLUMN_TYPES, type ReadModelChange, type RowValue, type RowValues, type TableSpec } from './read-model-changes.js';

/** The net effect of a batch on one row. */
export interface MergedRow {
  readonly table: string;
  readonly keyId: string;
  readonly key: RowValues;
  /** The stored row (if any) is removed before anything else. */
  deleteFirst: boolean;
  /** A row exists after the batch (written with `set`, and `inc` added to stored or default values). */
  present: boolean;
  set: Record<string, RowValue>;
  inc: Record<string, number>;
  /** The newest `latest` candidate of the batch, applied against the stored row's `by` column. */
  latest?: { by: string; set: Record<string, RowValue> };
  /** Items appended to jsonb array or text (lines) columns (after the stored value, or as the new row's). */
  append?: Record<string, unknown[]>;
}

export class InvalidChangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidChangeError';
  }
}

const keyColumnsOf = new WeakMap<TableSpec, string[]>();

function keyColumns(spec: TableSpec): string[] {
  let columns = keyColumnsOf.get(spec);
  if (!columns) keyColumnsOf.set(spec, (columns = Object.keys(spec.key)));
  return columns;
}

/**
 * A stable identity for a key (declared column order), used to merge changes to the same row. Text values
 * as they are, joined by NUL (which PostgreSQL text cannot hold), so ids also sort like the keys (as C).
 */
export function keyIdOf(spec: TableSpec, key: RowValues): string {
  const columns = keyColumns(spec);
  let id = '';
  for (let i = 0; i < columns.length; i++) {
    const value = key[columns[i]!];
    const part =
      typeof value === 'string' && value.charCodeAt(0) !== 1 ? value : `\u0001${JSON.stringify(normaliseKeyValue(value))}`;
    id = i === 0 ? part : `${id}\u0000${part}`;
  }
  return id;
}

function normaliseKeyValue(value: RowValue | undefined): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** Collapses changes (in order) into one MergedRow per (table, key), validating them against the tables. */
export function mergeChanges(
  tables: Readonly<Record<string, TableSpec>>,
  changes: readonly ReadModelChange[],
  into: Map<string, MergedRow> = new Map(),
): Map<string, MergedRow> {
  for (const change of changes) {
    const spec = tables[change.table];
    if (!spec) throw new InvalidChangeError(`change to undeclared table "${change.table}"`);
    checkKey(change.table, spec, change.key);
    const keyId = keyIdOf(spec, change.key);
    const id = `${change.table}\u0000${keyId}`;
    let row = into.get(id);
    if (!row) {
      row = { table: change.table, keyId, key: change.key, deleteFirst: false, present: false, set: {}, inc: {} };
      into.set(id, row);
    }
    switch (change.op) {
      case 'delete':
        row.deleteFirst = true;
        row.present = false;
        row.set = {};
        row.inc = {};
        delete row.latest;
        delete row.append;
        break;
      case 'append':
        for (const column in change.items) {
          const type = spec.columns[column];
          if (type !== 'jsonb' && type !== 'text') throw new InvalidChangeError(`${change.table}.${column}: append needs a declared jsonb or text column`);
          if (type === 'text') assertLines(change.table, column, change.items[column]!);
          if (column in row.set || (row.latest && column in row.latest.set)) throw mixedWrites(change.table, column);
          const list = ((row.append ??= {})[column] ??= []);
          for (const item of change.items[column]!) list.push(item);
        }
        row.present = true;
        break;
      case 'latest':
        applyLatest(change.table, spec, row, change.by, change.set);
        row.present = true;
        break;
      case 'upsert':
        applySet(change.table, spec, row, change.set);
        row.present = true;
        break;
      case 'increment':
        if (change.set) applySet(change.table, spec, row, change.set);
        for (const column in change.by) {
          const delta = change.by[column]!;
          const type = spec.columns[column];
          if (!type || !NUMERIC_COLUMN_TYPES.includes(type)) {
            throw new InvalidChangeError(`${change.table}.${column}: increment needs a declared numeric column`);
          }
          if (row.latest && column in row.latest.set) throw mixedWrites(change.table, column);
          if (typeof delta !== 'number' || !Number.isFinite(delta)) {
            throw new InvalidChangeError(`${change.table}.${column}: increment by ${String(delta)} is not a finite number`);
          }
          const current = row.set[column];
          if (typeof current === 'number') row.set[column] = current + delta;
          else if (typeof current === 'bigint') row.set[column] = current + BigInt(delta);
          else row.inc[column] = (row.inc[column] ?? 0) + delta;
        }
        row.present = true;
        break;
    }
  }
  return into;
}

function checkKey(table: string, spec: TableSpec, key: RowValues): void {
  for (const column of keyColumns(spec)) {
    const value = key[column];
    if (value === undefined || value === null) throw new InvalidChangeError(`${table}: key column ${column} is missing`);
  }
  for (const column in key) {
    if (!(column in spec.key)) throw new InvalidChangeError(`${table}: ${column} is not a key column`);
  }
}

function applySet(table: string, spec: TableSpec, row: MergedRow, set: RowValues): void {
  for (const column in set) {
    const value = set[column];
    const type = spec.columns[column];
    if (!type) throw new InvalidChangeError(`${table}.${column}: not a declared column`);
    if (value === undefined) continue;
    if (value === null && NUMERIC_COLUMN_TYPES.includes(type)) {
      throw new InvalidChangeError(`${table}.${column}: numeric columns are NOT NULL`);
    }
    if (row.latest && column in row.latest.set) throw mixedWrites(table, column);
    if (row.append && column in row.append) throw mixedWrites(table, column);
    row.set[column] = value;
    delete row.inc[column];
  }
}

function applyLatest(table: string, spec: TableSpec, row: MergedRow, by: string, set: RowValues): void {
  const type = spec.columns[by];
  if (!type) throw new InvalidChangeError(`${table}.${by}: not a declared column`);
  const candidate = set[by];
  if (candidate === undefined || candidate === null) throw new InvalidChangeError(`${table}.${by}: latest needs a value for ${by}`);
  for (const column of Object.keys(set)) {
    if (!spec.columns[column]) throw new InvalidChangeError(`${table}.${column}: not a declared column`);
    if (column in row.set || column in row.inc || (row.append && column in row.append)) throw mixedWrites(table, column);
  }
  if (row.latest && row.latest.by !== by) {
    throw new InvalidChangeError(`${table}: latest by ${by} and by ${row.latest.by} on the same row`);
  }
  if (!row.latest || compareColumnValues(type, candidate, row.latest.set[by]!) >= 0) {
    const values = Object.fromEntries(Object.entries(set).filter(([, v]) => v !== undefined));
    row.latest = { by, set: values as Record<string, RowValue> };
  }
}

function mixedWrites(table: string, column: string): InvalidChangeError {
  return new InvalidChangeError(`${table}.${column}: written both by latest and by upsert/increment on one row`);
}

/**
 * Folds the merged rows of a later batch (`later`) into those of an earlier one (`into`), with the same
 * result as merging both batches' changes in one go. Lets the engine merge page by page (each page checked
 * on its own) while committing many pages at once. Takes over `later`'s rows: do not use it afterwards.
 */
export function combineMerged(
  tables: Readonly<Record<string, TableSpec>>,
  into: Map<string, MergedRow>,
  later: ReadonlyMap<string, MergedRow>,
): Map<string, MergedRow> {
  // Check everything first, so a refused combination leaves `into` untouched.
  for (const [id, next] of later) {
    const row = into.get(id);
    if (row && !next.deleteFirst) checkCombinable(row, next);
  }
  for (const [id, next] of later) {
    const row = into.get(id);
    if (!row || next.deleteFirst) {
      into.set(id, next);
      continue;
    }
    const spec = tables[row.table]!;
    for (const column in next.set) {
      row.set[column] = next.set[column]!;
      delete row.inc[column];
    }
    for (const column in next.inc) {
      const delta = next.inc[column]!;
      const current = row.set[column];
      if (typeof current === 'number') row.set[column] = current + delta;
      else if (typeof current === 'bigint') row.set[column] = current + BigInt(delta);
      else row.inc[column] = (row.inc[column] ?? 0) + delta;
    }
    if (next.latest) {
      const { by, set } = next.latest;
      if (!row.latest || compareColumnValues(spec.columns[by]!, set[by]!, row.latest.set[by]!) >= 0) {
        row.latest = next.latest;
      }
    }
    for (const column in next.append) {
      const list = ((row.append ??= {})[column] ??= []);
      for (const item of next.append[column]!) list.push(item);
    }
    row.present = row.present || next.present;
  }
  return into;
}

function checkCombinable(row: MergedRow, next: MergedRow): void {
  for (const column in next.append) {
    if (column in row.set || (row.latest && column in row.latest.set)) throw mixedWrites(row.table, column);
  }
  for (const column of Object.keys(next.set)) if (row.append && column in row.append) throw mixedWrites(row.table, column);
  if (!row.latest && !next.latest) return;
  for (const column of [...Object.keys(next.set), ...Object.keys(next.inc)]) {
    if (row.latest && column in row.latest.set) throw mixedWrites(row.table, column);
  }
  if (next.latest) {
    for (const column of Object.keys(next.latest.set)) {
      if (column in row.set || column in row.inc) throw mixedWrites(row.table, column);
    }
    if (row.latest && row.latest.by !== next.latest.by) {
      throw new InvalidChangeError(`${row.table}: latest by ${next.latest.by} and by ${row.latest.by} on the same row`);
    }
  }
}

/** Items appended to a text column are stored as lines: each must be a string without a line break. */
function assertLines(table: string, column: string, items: readonly unknown[]): void {
  for (const item of items) {
    if (typeof item !== 'string' || item.includes('\n')) throw new InvalidChangeError(`${table}.${column}: text appends are lines (strings without a line break)`);
  }
}
