import pg from 'pg';
import { openPgliteSqlClient } from '../../../src/database/pglite-sql-client.js';
import { timed } from '../../support/timing.js';
import type { Backend, MeasurementResult } from '../jobs.js';

/**
 * Between the writes and the reads: VACUUM ANALYZE sets the hint bits and visibility map and CHECKPOINT
 * flushes the dirty pages the writes left. Without it the first reader pays for both (it writes out pages
 * while it reads), which charged ~30% to whichever read ran first.
 */
export async function settle(backend: Backend): Promise<MeasurementResult> {
  if (backend.kind === 'postgres') {
    const client = new pg.Client({ connectionString: backend.url });
    await client.connect();
    try {
      const { seconds } = await timed(async () => {
        await client.query('VACUUM (ANALYZE)');
        await client.query('CHECKPOINT');
      });
      return { events: 0, seconds };
    } finally {
      await client.end();
    }
  }
  const sql = await openPgliteSqlClient({ dataDir: backend.dataDir });
  try {
    const { seconds } = await timed(async () => {
      await sql.query('VACUUM (ANALYZE)');
      await sql.query('CHECKPOINT');
    });
    return { events: 0, seconds };
  } finally {
    await sql.close();
  }
}
