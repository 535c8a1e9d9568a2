/**
 * The document keys an instance has stored, while this processor wrote every one of them: a run that starts on
 * an instance with no documents knows each key it commits, so a key it never committed is not stored and a
 * batch need not ask the database for it. A rebuild from the first event would otherwise ask for every new
 * document it meets (one query per read page) and find nothing.
 *
 * Sound because nobody else writes the instance meanwhile: another processor can only commit after taking
 * the lease and moving the checkpoint, and then this processor's next commit fails (fence or checkpoint
 * compare-and-set) before anything computed from a stale answer is written. Past `maxKeys` keys it stops
 * knowing (every key is asked for again), so memory stays bounded.
 */
import type { SqlExecutor } from '../../database/sql-client.js';
import { ident } from './sql-identifiers.js';

export class StoredKeys {
  private keys: Set<string> | null = new Set();

  constructor(private readonly maxKeys = 1_000_000) {}

  /** True when the key is certainly not stored. */
  knowsAbsent(key: string): boolean {
    return this.keys !== null && !this.keys.has(key);
  }

  /** After a commit: the keys it upserted are stored, the ones it deleted are not. */
  committed(upserted: Iterable<string>, deleted: Iterable<string>): void {
    if (this.keys === null) return;
    for (const key of deleted) this.keys.delete(key);
    for (const key of upserted) this.keys.add(key);
    if (this.keys.size > this.maxKeys) this.keys = null;
  }
}

/** Whether the instance has any document in its table. */
export async function hasDocuments(db: SqlExecutor, table: string, instanceId: string): Promise<boolean> {
  const { rows } = await db.query<{ found: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM ${ident(table)} WHERE instance_id = $1) AS found`,
    [instanceId],
  );
  return rows[0]?.found === true;
}
