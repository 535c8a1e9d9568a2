import path from 'node:path';
import type { AppConfig } from '../config/app-config.js';
import type { SqlClient } from './sql-client.js';
import { openPgSqlClient } from './pg-sql-client.js';
import { openPgliteSqlClient } from './pglite-sql-client.js';
import { migrate } from './migrate.js';

export interface OpenDatabaseOptions {
  /** Run the schema migrations before returning (default true). */
  migrate?: boolean;
}

/** Where the embedded database lives inside LESSONLOOP_DATA_DIR, or `memory://` when that is asked for. */
export function pgliteDataDir(config: Pick<AppConfig, 'LESSONLOOP_DATA_DIR'>): string {
  const dir = config.LESSONLOOP_DATA_DIR;
  return dir.startsWith('memory://') ? dir : path.resolve(dir, 'pgdata');
}

/** DATABASE_URL set: PostgreSQL. Otherwise: PGlite persisted under LESSONLOOP_DATA_DIR. Migrated on open. */
export async function openDatabase(config: AppConfig, options: OpenDatabaseOptions = {}): Promise<SqlClient> {
  const sql: SqlClient = config.DATABASE_URL
    ? await openPgSqlClient({ connectionString: config.DATABASE_URL })
    : await openPgliteSqlClient({ dataDir: pgliteDataDir(config) });
  if (options.migrate ?? true) {
    try {
      await migrate(sql);
    } catch (error) {
      await sql.close().catch(() => undefined);
      throw error;
    }
  }
  return sql;
}
