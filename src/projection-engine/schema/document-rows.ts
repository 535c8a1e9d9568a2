/** Loading and writing the documents of a `documents` projection: (instance_id, doc_key, doc jsonb). */
import type { DocumentSlot } from '../../../projections/machinery/documents.js';
import type { SqlExecutor } from '../../database/sql-client.js';
import { ident } from './sql-identifiers.js';
import type { SqlStatement } from './sql-statement.js';
import { toSqlText } from './write-changes.js';

const KEYS_PER_STATEMENT = 5000;

/** Reads the stored documents for `keys`; keys with no stored document map to undefined. */
export async function loadDocuments<TDoc>(
  db: SqlExecutor,
  table: string,
  instanceId: string,
  keys: readonly string[],
): Promise<Map<string, DocumentSlot<TDoc>>> {
  const docs = new Map<string, DocumentSlot<TDoc>>(keys.map((k) => [k, undefined]));
  for (let i = 0; i < keys.length; i += KEYS_PER_STATEMENT) {
    const { rows } = await db.query<{ doc_key: string; doc: TDoc }>(
      `SELECT doc_key, doc FROM ${ident(table)} WHERE instance_id = $1 AND doc_key = ANY($2::text[])`,
      [instanceId, keys.slice(i, i + KEYS_PER_STATEMENT)],
    );
    for (const row of rows) docs.set(row.doc_key, row.doc);
  }
  return docs;
}

/** The statements that write the changed documents: upserts of the present ones, deletes of those evolved to null. */
export function documentStatements<TDoc>(
  table: string,
  instanceId: string,
  docs: ReadonlyMap<string, DocumentSlot<TDoc>>,
  changed: Iterable<string>,
): SqlStatement[] {
  const upserts: [string, string][] = [];
  const deletes: string[] = [];
  for (const key of changed) {
    const doc = docs.get(key);
    if (doc === null || doc === undefined) deletes.push(key);
    else upserts.push([key, toSqlText('jsonb', doc as never)!]);
  }
  const statements: SqlStatement[] = [];
  for (let i = 0; i < deletes.length; i += KEYS_PER_STATEMENT) {
    statements.push({
      text: `DELETE FROM ${ident(table)} WHERE instance_id = $1 AND doc_key = ANY($2::text[])`,
      params: [instanceId, deletes.slice(i, i + KEYS_PER_STATEMENT)],
    });
  }
  for (let i = 0; i < upserts.length; i += KEYS_PER_STATEMENT) {
    const part = upserts.slice(i, i + KEYS_PER_STATEMENT);
    statements.push({
      text: `INSERT INTO ${ident(table)} (instance_id, doc_key, doc)
       SELECT $1, u.k, u.d FROM unnest($2::text[], $3::jsonb[]) AS u(k, d)
       ON CONFLICT (instance_id, doc_key) DO UPDATE SET doc = EXCLUDED.doc`,
      params: [instanceId, part.map(([k]) => k), part.map(([, d]) => d)],
    });
  }
  return statements;
}
