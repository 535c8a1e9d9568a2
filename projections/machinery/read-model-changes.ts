/**
 * The read-model changes a `changes` projection returns (upsert, increment, latest, delete on declared
 * tables), and the tables they write. How a batch of them collapses to one change per row is in
 * merged-rows.ts. Pure.
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
  /** Appends items in order: to jsonb array columns (to [] when new or null), or as lines to text columns (no line breaks in them). */
  | { readonly op: 'append'; readonly table: TTable; readonly key: RowValues; readonly items: Readonly<Record<string, readonly unknown[]>> }
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

export function append<T extends string>(table: T, key: RowValues, items: Record<string, readonly unknown[]>): ReadModelChange<T> {
  return { op: 'append', table, key, items };
}

export function remove<T extends string>(table: T, key: RowValues): ReadModelChange<T> {
  return { op: 'delete', table, key };
}
