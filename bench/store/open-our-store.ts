import { migrate } from '../../src/database/migrate.js';
import { openPgSqlClient } from '../../src/database/pg-sql-client.js';
import { openPgliteSqlClient } from '../../src/database/pglite-sql-client.js';
import type { SqlClient } from '../../src/database/sql-client.js';
import type { EventStore } from '../../src/event-store/event-store.port.js';
import { SqlEventStore } from '../../src/event-store/sql/sql-event-store.js';
import type { Backend } from './jobs.js';

export interface OpenedStore {
  store: EventStore;
  sql: SqlClient;
  close(): Promise<void>;
}

/** lessonloop's SqlEventStore with its default options, on a migrated PostgreSQL database or on-disk PGlite. */
export async function openOurStore(backend: Backend): Promise<OpenedStore> {
  const sql: SqlClient =
    backend.kind === 'postgres'
      ? await openPgSqlClient({ connectionString: backend.url })
      : await openPgliteSqlClient({ dataDir: backend.dataDir });
  await migrate(sql);
  const store = new SqlEventStore(sql);
  return {
    store,
    sql,
    async close() {
      await store.close();
      await sql.close();
    },
  };
}
