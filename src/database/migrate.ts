import { createHash } from 'node:crypto';
import type { SqlClient, SqlExecutor } from './sql-client.js';
import { migrations as allMigrations, type Migration } from './migrations/index.js';

/** Any constant works; it only has to be the same for every lessonloop process on the database. */
const MIGRATION_LOCK_KEY = '7219540613104510001';

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

const ensureTableSql = `CREATE TABLE IF NOT EXISTS schema_migrations (
  id text PRIMARY KEY,
  checksum text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

async function appliedMigrations(tx: SqlExecutor): Promise<Map<string, string>> {
  const { rows } = await tx.query<{ id: string; checksum: string }>('SELECT id, checksum FROM schema_migrations');
  return new Map(rows.map((r) => [r.id, r.checksum]));
}

async function recordMigration(tx: SqlExecutor, migration: Migration): Promise<void> {
  await tx.query('INSERT INTO schema_migrations (id, checksum) VALUES ($1, $2)', [migration.id, checksum(migration)]);
}

function checksum(migration: Migration): string {
  return createHash('sha256').update(migration.statements.join('\n;\n')).digest('hex').slice(0, 16);
}

/**
 * Applies the missing migrations in order, all in one transaction under a transaction-scoped advisory lock,
 * so two processes starting at once neither race nor half-apply. Returns the ids it applied.
 */
export async function migrate(sql: SqlClient, migrations: readonly Migration[] = allMigrations): Promise<string[]> {
  const ids = migrations.map((m) => m.id);
  if (new Set(ids).size !== ids.length) throw new MigrationError(`Duplicate migration ids in ${ids.join(', ')}`);
  return sql.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await tx.query(ensureTableSql);
    const applied = await appliedMigrations(tx);
    const ran: string[] = [];
    for (const migration of migrations) {
      const stored = applied.get(migration.id);
      if (stored !== undefined) {
        if (stored !== checksum(migration)) {
          throw new MigrationError(`Migration ${migration.id} was changed after it was applied (checksum ${stored})`);
        }
        continue;
      }
      for (const statement of migration.statements) {
        try {
          await tx.query(statement);
        } catch (error) {
          throw new MigrationError(`Migration ${migration.id} failed: ${(error as Error).message}`, { cause: error });
        }
      }
      await recordMigration(tx, migration);
      ran.push(migration.id);
    }
    return ran;
  });
}
