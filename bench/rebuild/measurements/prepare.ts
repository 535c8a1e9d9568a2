import { migrate } from '../../../src/database/migrate.js';
import { openPgSqlClient } from '../../../src/database/pg-sql-client.js';
import { SqlEventStore } from '../../../src/event-store/sql/sql-event-store.js';
import { progressLines } from '../../../src/ingest/import-progress.js';
import { importResults } from '../../../src/ingest/import-results.js';
import { timed } from '../../support/timing.js';
import type { Job, JobResult } from '../jobs.js';

/** Imports the generated history into the benchmark database with the bulk path (setup, not measured). */
export async function importHistory(job: Job): Promise<JobResult> {
  const sql = await openPgSqlClient({ connectionString: job.url });
  try {
    await migrate(sql);
    const store = new SqlEventStore(sql);
    const { seconds, value: summary } = await timed(() => importResults(store, job.historyDir, { progress: progressLines(process.stderr, 15_000) }));
    await store.close();
    if (summary.rejected.length > 0) throw new Error(`${summary.rejected.length} runs rejected: ${summary.rejected[0]!.reasons[0]}`);
    return { events: summary.eventsAppended, seconds, rssAt: [], note: `${summary.outcomes} outcomes in ${summary.newRuns} runs` };
  } finally {
    await sql.close();
  }
}

/**
 * Copies the same events into Emmett's message table (its own schema, created by its migration), with our
 * transaction ids and global positions, so its projector reads what ours reads in the same order. Emmett
 * 0.42's schema has no index for its read query (ORDER BY transaction_id, global_position): every pull
 * would scan and sort the whole table, which on 1.45M events makes its rate collapse for a reason that is
 * not its projector. Generous to Emmett, an index on (transaction_id, global_position) is added.
 */
export async function loadEmmett(job: Job): Promise<JobResult> {
  const { getPostgreSQLEventStore } = await import('@event-driven-io/emmett-postgresql');
  const store = getPostgreSQLEventStore(job.url);
  await store.schema.migrate();
  await store.close();
  const sql = await openPgSqlClient({ connectionString: job.url });
  try {
    const { seconds, value: events } = await timed(() =>
      sql.transaction(async (tx) => {
        await tx.query('DELETE FROM emt_messages');
        const inserted = await tx.query(
          `INSERT INTO emt_messages (stream_id, stream_position, partition, message_kind, message_data, message_metadata,
                                     message_schema_version, message_type, message_id, global_position, transaction_id, created)
           SELECT stream_id, stream_revision + 1, 'emt:default', 'E', data, metadata || jsonb_build_object('messageId', event_id::text),
                  schema_version::text, type, event_id::text, global_position, transaction_id, recorded_at
             FROM events ORDER BY transaction_id, global_position`,
        );
        await tx.query(`SELECT setval('emt_global_message_position', (SELECT max(global_position) FROM emt_messages))`);
        return inserted.rowCount;
      }),
    );
    await sql.query('CREATE INDEX IF NOT EXISTS emt_messages_read_order ON emt_messages_emt_default_active (transaction_id, global_position)');
    await sql.query('ANALYZE emt_messages');
    return { events, seconds, rssAt: [], note: 'INSERT ... SELECT from our events table, plus an index in its read order' };
  } finally {
    await sql.close();
  }
}
