/**
 * The tables a projection writes, created from its definition: every table gets an `instance_id` key
 * column, so instances (versions, rule sets, rebuilds) share fixed tables side by side and TypeORM
 * entities can map them. Columns added to a spec are added to the table; key changes need a new table.
 */
import type { AnyProjection } from '../../../projections/machinery/projection.js';
import { NUMERIC_COLUMN_TYPES, type ColumnType, type TableSpec } from '../../../projections/machinery/read-model-changes.js';
import type { SqlClient, SqlExecutor } from '../../database/sql-client.js';
import { ident } from './sql-identifiers.js';

const READ_MODEL_DDL_LOCK_KEY = '7219540613104510079';

function columnDefinition(name: string, type: ColumnType): string {
  return NUMERIC_COLUMN_TYPES.includes(type) ? `${ident(name)} ${type} NOT NULL DEFAULT 0` : `${ident(name)} ${type}`;
}

function changesTableStatements(table: string, spec: TableSpec): string[] {
  const keyColumns = Object.entries(spec.key).map(([name, type]) => `${ident(name)} ${type} NOT NULL`);
  const statements = [
    `CREATE TABLE IF NOT EXISTS ${ident(table)} (
      instance_id text NOT NULL,
      ${keyColumns.join(',\n      ')},
      PRIMARY KEY (instance_id, ${Object.keys(spec.key).map(ident).join(', ')})
    )`,
    ...Object.entries(spec.columns).map(
      ([name, type]) => `ALTER TABLE ${ident(table)} ADD COLUMN IF NOT EXISTS ${columnDefinition(name, type)}`,
    ),
  ];
  for (const columns of spec.indexes ?? []) {
    const indexName = `${table}_by_${columns.join('_')}`.slice(0, 63);
    statements.push(
      `CREATE INDEX IF NOT EXISTS ${ident(indexName)} ON ${ident(table)} (instance_id, ${columns.map(ident).join(', ')})`,
    );
  }
  return statements;
}

function documentTableStatements(table: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${ident(table)} (
      instance_id text NOT NULL,
      doc_key text NOT NULL,
      doc jsonb NOT NULL,
      PRIMARY KEY (instance_id, doc_key)
    )`,
  ];
}

/** The tables a projection owns (for dropping an instance's rows). */
export function tablesOf(projection: AnyProjection): string[] {
  return projection.shape === 'documents' ? [projection.documentTable, ...Object.keys(projection.tables ?? {})] : Object.keys(projection.tables);
}

const ensured = new WeakMap<SqlClient, Set<string>>();

export async function ensureReadModelTables(sql: SqlClient, projection: AnyProjection): Promise<void> {
  const done = ensured.get(sql) ?? new Set<string>();
  const marker = `${projection.name}@${projection.version}`;
  if (done.has(marker)) return;
  const tables = Object.entries((projection.tables ?? {}) as Record<string, TableSpec>).flatMap(([t, spec]) => changesTableStatements(t, spec));
  const statements = projection.shape === 'documents' ? [...documentTableStatements(projection.documentTable), ...tables] : tables;
  await sql.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${READ_MODEL_DDL_LOCK_KEY})`);
    for (const statement of statements) await tx.query(statement);
  });
  done.add(marker);
  ensured.set(sql, done);
}

/** Removes every row of one instance from the projection's tables (tables that do not exist are skipped). */
export async function deleteInstanceRows(tx: SqlExecutor, tables: readonly string[], instanceId: string): Promise<void> {
  for (const table of tables) {
    const { rows } = await tx.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [table]);
    if (rows[0]?.present) await tx.query(`DELETE FROM ${ident(table)} WHERE instance_id = $1`, [instanceId]);
  }
}
