/**
 * Read-model changes of the `changes` projection shape, and how a batch of them collapses to one final
 * change per row. Pure: the engine turns merged rows into batched SQL; `projections/machinery/testing.ts` applies them
 * to in-memory tables with the same semantics.
 */

export type ColumnType = 'text' | 'int4' | 'int8' | 'float8' | 'numeric' | 'bool' | 'timestamptz' | 'jsonb';

/** Column types an `increment` may target; they are created NOT NULL DEFAULT 0. */
export const NUMERIC_COLUMN_TYPES: readonly ColumnType[] = ['int4', 'int8', 'float8', 'numeric'];

export interface TableSpec {
  /** Key columns in key order (the engine prepends `instance_id`). Values must not be null. */
  readonly key: Readonly<Record<string, ColumnType>>;
  /** Other columns. Numeric ones are NOT NULL DEFAULT 0; the rest are nullable. */
  readonly columns: Readonly<Record<string, ColumnType>>;
  /** Secondary indexes as column lists; each is created after `instance_id`. */
  readonly indexes?: readonly (readonly string[])[];
}

/** timestamptz: a Date or an ISO string; jsonb: any JSON value. */
export type RowValue = string | number | bigint | boolean | Date | null | readonly unknown[] | { readonly [k: string]: unknown };
export type RowValues = Readonly<Record<string, RowValue>>;

export type ReadModelChange<TTable extends string = string> =
  /** Creates the row or overwrites the given columns (others keep their value, or their default when new). */
  | { readonly op: 'upsert'; readonly table: TTable; readonly key: RowValues; readonly set: RowValues }
  /** Adds to numeric columns (from 0 when the row is new), optionally setting other columns too. */
  | {
      readonly op: 'increment';
      readonly table: TTable;
      readonly key: RowValues;
      readonly by: Readonly<Record<string, number>>;
      readonly set?: RowValues;
    }
  /**
   * Writes `set` only when its value in column `by` is at least the stored one (or nothing is stored):
   * "last run" style columns that stay right when events arrive out of world-time order.
   */
  | {
      readonly op: 'latest';
      readonly table: TTable;
      readonly key: RowValues;
      readonly by: string;
      readonly set: RowValues;
    }
  | { readonly op: 'delete'; readonly table: TTable; readonly key: RowValues };

export function upsert<T extends string>(table: T, key: RowValues, set: RowValues): ReadModelChange<T> {
  return { op: 'upsert', table, key, set };
}

export function increment<T extends string>(
  table: T,
  key: RowValues,
  by: Record<string, number>,
  set?: RowValues,
): ReadModelChange<T> {
  return set ? { op: 'increment', table, key, by, set } : { op: 'increment', table, key, by };
}

export function latest<T extends string>(table: T, key: RowValues, by: string, set: RowValues): ReadModelChange<T> {
  return { op: 'latest', table, key, by, set };
}

export function remove<T extends string>(table: T, key: RowValues): ReadModelChange<T> {
  return { op: 'delete', table, key };
}

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
    if (column in row.set || column in row.inc) throw mixedWrites(table, column);
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

/** Orders two non-null values of a column the way PostgreSQL orders them (text: by code point, as C). */
export function compareColumnValues(type: ColumnType, a: RowValue, b: RowValue): number {
  if (type === 'timestamptz' && typeof a === 'string' && typeof b === 'string' && isUtcIso(a) && isUtcIso(b) && a.length === b.length) {
    return a < b ? -1 : a > b ? 1 : 0; // same-shape UTC ISO strings order like the instants they name
  }
  const x = comparable(type, a);
  const y = comparable(type, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function isUtcIso(value: string): boolean {
  return value.length >= 20 && value.charCodeAt(10) === 84 /* T */ && value.charCodeAt(value.length - 1) === 90 /* Z */ && value.charCodeAt(4) === 45;
}

function comparable(type: ColumnType, value: RowValue): number | bigint | string {
  switch (type) {
    case 'timestamptz':
      return value instanceof Date ? value.getTime() : Date.parse(String(value));
    case 'int8':
      return typeof value === 'bigint' ? value : BigInt(String(value));
    case 'int4':
    case 'float8':
    case 'numeric':
      return Number(value);
    case 'bool':
      return value === true || value === 'true' || value === 't' ? 1 : 0;
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

/** The value a new row has in a column nobody set. */
export function defaultValue(type: ColumnType): RowValue {
  return NUMERIC_COLUMN_TYPES.includes(type) ? 0 : null;
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
    row.present = row.present || next.present;
  }
  return into;
}

function checkCombinable(row: MergedRow, next: MergedRow): void {
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
