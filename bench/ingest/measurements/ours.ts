import { migrate } from '../../../src/database/migrate.js';
import { openPgSqlClient } from '../../../src/database/pg-sql-client.js';
import { loadAppConfig } from '../../../src/config/app-config.js';
import { openEventStore } from '../../../src/event-store/open-event-store.js';
import { SqlEventStore } from '../../../src/event-store/sql/sql-event-store.js';
import { progressLines } from '../../../src/ingest/import-progress.js';
import { importResults } from '../../../src/ingest/import-results.js';
import { timed } from '../../support/timing.js';
import type { Job, MeasurementResult } from '../jobs.js';

/**
 * `importResults` as `lessonloop import results` runs it: the app's store (`openEventStore`: SqlEventStore on
 * PostgreSQL behind the event catalogue's validation), or for comparison the bare SqlEventStore.
 */
export async function ourImport(job: Job): Promise<MeasurementResult> {
  const sql = await openPgSqlClient({ connectionString: job.url });
  try {
    await migrate(sql);
    // The app's own store factory (catalogue-validated), as the CLI gets it; or the bare SqlEventStore.
    const store =
      job.kind === 'ours' ? await openEventStore(loadAppConfig({ DATABASE_URL: job.url, LOG_LEVEL: 'silent' }), sql) : new SqlEventStore(sql);
    const { seconds, value: summary } = await timed(() =>
      importResults(store, job.historyDir, { batchEvents: job.batchEvents, progress: progressLines(process.stderr, 15_000) }),
    );
    await store.close();
    if (summary.rejected.length > 0) throw new Error(`${summary.rejected.length} runs rejected: ${summary.rejected[0]!.reasons[0]}`);
    if (summary.newRuns !== summary.runsFound) throw new Error(`expected a fresh database, ${summary.alreadyRecorded} runs were already there`);
    const validation = job.kind === 'ours' ? 'catalogue-validated' : 'no catalogue validation';
    return { rows: summary.outcomes, written: summary.eventsAppended, seconds, note: `appendMany of >= ${job.batchEvents} events, ${validation}` };
  } finally {
    await sql.close();
  }
}
