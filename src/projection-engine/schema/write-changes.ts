/**
 * Turns a batch's merged row changes into a few multi-row statements: one DELETE per table for rows that
 * were deleted (or deleted and recreated), then one `INSERT ... SELECT FROM unnest(...) ON CONFLICT DO
 * UPDATE` per table and change shape. Each array parameter travels as text[] and is cast by PostgreSQL.
 * The statements are built whole before the batch's transaction opens (see batch-commit.ts).
 */
import type { MergedRow } from '../../../projections/machinery/merged-rows.js';
import type { ColumnType, RowValue, TableSpec } from '../../../projections/machinery/read-model-changes.js';
import { ident } from './sql-identifiers.js';
import type { SqlStatement } from './sql-statement.js';

/** Rows per statement: keeps parameter arrays moderate on PGlite while amortising round trips on PostgreSQL. */
const ROWS_PER_STATEMENT = 5000;

export function toSqlText(type: ColumnType, value: RowValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'jsonb':
      return toJsonText(value);
    case 'timestamptz':
      return value instanceof Date ? value.toISOString() : String(value);
    case 'bool':
      return value === true || value === 'true' || value === 't' ? 'true' : 'false';
    default:
      return value instanceof Date ? value.toISOString() : String(value);
  }
}

/**
 * JSON text with bigints as decimal strings. A replacer slows JSON.stringify down for every value, so it is
 * only used when the plain call refuses a bigint (a rebuild writes thousands of large documents).
 */
function toJsonText(value: RowValue): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
}

/** A jsonb column appends a JSON array; a text column appends lines (merged-rows.ts checks they hold none). */
function appendedText(type: ColumnType, items: unknown[]): string {
  return type === 'text' ? (items as string[]).join('\n') : toJsonText(items);
}

function columnType(spec: TableSpec, column: string): ColumnType {
  return (spec.key[column] ?? spec.columns[column])!;
}

/** The columns a merged row writes, by role; rows with the same shape share one statement. */
interface RowShape {
  set: string[];
  inc: string[];
  latestBy: string | null;
  latest: string[];
  append: string[];
}

function shapeOf(row: MergedRow): RowShape {
  const latest = row.latest ? Object.keys(row.latest.set).sort() : [];
  const append = row.append ? Object.keys(row.append).sort() : [];
  return { set: Object.keys(row.set).sort(), inc: Object.keys(row.inc).sort(), latestBy: row.latest?.by ?? null, latest, append };
}

function shapeId(shape: RowShape): string {
  return JSON.stringify(shape);
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function deleteStatements(table: string, spec: TableSpec, instanceId: string, rows: MergedRow[]): SqlStatement[] {
  const keys = Object.keys(spec.key);
  const unnest = keys.map((k, i) => `$${i + 2}::${spec.key[k]}[]`).join(', ');
  const text = `DELETE FROM ${ident(table)} WHERE instance_id = $1 AND (${keys.map(ident).join(', ')}) IN
         (SELECT * FROM unnest(${unnest}))`;
  return chunks(rows, ROWS_PER_STATEMENT).map((part) => ({
    text,
    params: [instanceId, ...keys.map((k) => part.map((row) => toSqlText(spec.key[k]!, row.key[k])))],
  }));
}

function upsertSql(table: string, spec: TableSpec, shape: RowShape): string {
  const keys = Object.keys(spec.key);
  const columns = [...keys, ...shape.set, ...shape.inc, ...shape.latest, ...shape.append];
  const unnest = columns.map((c, i) => `$${i + 2}::${columnType(spec, c)}[]`).join(', ');
  const t = ident(table);
  const updates = [
    ...shape.set.map((c) => `${ident(c)} = EXCLUDED.${ident(c)}`),
    ...shape.inc.map((c) => `${ident(c)} = ${t}.${ident(c)} + EXCLUDED.${ident(c)}`),
    ...shape.append.map((c) =>
      columnType(spec, c) === 'text'
        ? `${ident(c)} = concat_ws(E'\\n', ${t}.${ident(c)}, EXCLUDED.${ident(c)})`
        : `${ident(c)} = COALESCE(${t}.${ident(c)}, '[]'::jsonb) || EXCLUDED.${ident(c)}`,
    ),
  ];
  if (shape.latestBy) {
    const by = ident(shape.latestBy);
    const collate = columnType(spec, shape.latestBy) === 'text' ? ' COLLATE "C"' : '';
    const newer = `(${t}.${by} IS NULL OR EXCLUDED.${by}${collate} >= ${t}.${by}${collate})`;
    for (const c of shape.latest) updates.push(`${ident(c)} = CASE WHEN ${newer} THEN EXCLUDED.${ident(c)} ELSE ${t}.${ident(c)} END`);
  }
  const onConflict = updates.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${updates.join(', ')}`;
  return `INSERT INTO ${t} (instance_id, ${columns.map(ident).join(', ')})
    SELECT $1, u.* FROM unnest(${unnest}) AS u
    ON CONFLICT (instance_id, ${keys.map(ident).join(', ')}) ${onConflict}`;
}

function upsertParameters(spec: TableSpec, shape: RowShape, rows: MergedRow[]): (string | null)[][] {
  const keys = Object.keys(spec.key);
  return [
    ...keys.map((c) => rows.map((r) => toSqlText(spec.key[c]!, r.key[c]))),
    ...shape.set.map((c) => rows.map((r) => toSqlText(spec.columns[c]!, r.set[c]))),
    ...shape.inc.map((c) => rows.map((r) => toSqlText(spec.columns[c]!, r.inc[c]))),
    ...shape.latest.map((c) => rows.map((r) => toSqlText(spec.columns[c]!, r.latest!.set[c]))),
    ...shape.append.map((c) => rows.map((r) => appendedText(spec.columns[c]!, r.append![c]!))),
  ];
}

/** The statements that write the merged rows of one batch for one instance. */
export function mergedRowStatements(
  tables: Readonly<Record<string, TableSpec>>,
  instanceId: string,
  merged: Iterable<MergedRow>,
): SqlStatement[] {
  const statements: SqlStatement[] = [];
  const byTable = new Map<string, MergedRow[]>();
  for (const row of merged) {
    const list = byTable.get(row.table) ?? [];
    list.push(row);
    byTable.set(row.table, list);
  }
  for (const [table, rows] of byTable) {
    const spec = tables[table]!;
    const deleted = rows.filter((r) => r.deleteFirst);
    if (deleted.length > 0) statements.push(...deleteStatements(table, spec, instanceId, deleted));
    const groups = new Map<string, { shape: RowShape; rows: MergedRow[] }>();
    for (const row of rows) {
      if (!row.present) continue;
      const shape = shapeOf(row);
      const id = shapeId(shape);
      const group = groups.get(id) ?? { shape, rows: [] };
      group.rows.push(row);
      groups.set(id, group);
    }
    for (const { shape, rows: group } of groups.values()) {
      const text = upsertSql(table, spec, shape);
      for (const part of chunks(group, ROWS_PER_STATEMENT)) {
        statements.push({ text, params: [instanceId, ...upsertParameters(spec, shape, part)] });
      }
    }
  }
  return statements;
}
