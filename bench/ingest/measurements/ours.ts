import { migrate } from '../../../src/database/migrate.js';
import { openPgSqlClient } from '../../../src/database/pg-sql-client.js';
import { withCatalogue } from '../../../src/event-store/catalogue-event-store.js';
import { SqlEventStore } from '../../../src/event-store/sql/sql-event-store.js';
import { progressLines } from '../../../src/ingest/import-progress.js';
import { importResults } from '../../../src/ingest/import-results.js';
import { timed } from '../../support/timing.js';
import type { Job, MeasurementResult } from '../jobs.js';

/**
 * `importResults` exactly as `lessonloop import results` runs it: SqlEventStore on PostgreSQL, wrapped with the
 * event catalogue's validation like the app's EVENT_STORE (or, for comparison, without the wrapper).
 */
export async function ourImport(job: Job): Promise<MeasurementResult> {
  const sql = await openPgSqlClient({ connectionString: job.url });
  try {
    await migrate(sql);
    const sqlStore = new SqlEventStore(sql);
    const store = job.kind === 'ours' ? withCatalogue(sqlStore) : sqlStore;
    const { seconds, value: summary } = await timed(() =>
      importResults(store, job.historyDir, { batchEvents: job.batchEvents, progress: progressLines(process.stderr, 15_000) }),
    );
    await sqlStore.close();
    if (summary.rejected.length > 0) throw new Error(`${summary.rejected.length} runs rejected: ${summary.rejected[0]!.reasons[0]}`);
    if (summary.newRuns !== summary.runsFound) throw new Error(`expected a fresh database, ${summary.alreadyRecorded} runs were already there`);
    const validation = job.kind === 'ours' ? 'catalogue-validated' : 'no catalogue validation';
    return { rows: summary.outcomes, written: summary.eventsAppended, seconds, note: `appendMany of >= ${job.batchEvents} events, ${validation}` };
  } finally {
    await sql.close();
  }
}
