import { migrate } from '../../../src/database/migrate.js';
import { openPgSqlClient } from '../../../src/database/pg-sql-client.js';
import { SqlEventStore } from '../../../src/event-store/sql/sql-event-store.js';
import { timed } from '../../support/timing.js';
import type { JobResult } from '../../rebuild/jobs.js';
import { worldLogChunks, type WorldLogShape } from '../world-log.js';

/** Generates the world seed by seed (pure functions, in memory) and appends each with the store's bulk path. */
export async function appendWorld(url: string, shape: WorldLogShape): Promise<JobResult> {
  const sql = await openPgSqlClient({ connectionString: url });
  try {
    await migrate(sql);
    const store = new SqlEventStore(sql);
    let sessions = 0;
    let generateSeconds = 0;
    const { seconds, value: events } = await timed(async () => {
      let appended = 0;
      let started = process.hrtime.bigint();
      for (const chunk of worldLogChunks(shape)) {
        generateSeconds += Number(process.hrtime.bigint() - started) / 1e9;
        await store.appendMany(chunk.appends);
        appended += chunk.events;
        sessions += chunk.sessions;
        process.stderr.write(`  seed ${chunk.seed}: ${sessions} sessions, ${appended} events\n`);
        started = process.hrtime.bigint();
      }
      return appended;
    });
    await store.close();
    return { events, seconds, rssAt: [], note: `${sessions} sessions; generated in ${generateSeconds.toFixed(1)} s, bulk appended in ${(seconds - generateSeconds).toFixed(1)} s` };
  } finally {
    await sql.close();
  }
}
