import pg from 'pg';
import { openPgSqlClient } from '../../../src/database/pg-sql-client.js';
import { EVENT_COLUMNS } from '../../../src/event-store/sql/event-rows.js';
import { SqlEventStore } from '../../../src/event-store/sql/sql-event-store.js';
import { timed } from '../../support/timing.js';
import type { Job, JobResult } from '../jobs.js';
import { RssMarks } from '../rss-marks.js';

/**
 * The floor to hold the rebuild against: a server-side cursor over the events table in the store's read
 * order, the same columns, FETCH readBatch at a time, rows parsed by pg (jsonb included) and dropped.
 */
export async function rawCursorRead(job: Job): Promise<JobResult> {
  const client = new pg.Client({ connectionString: job.url });
  await client.connect();
  const rss = new RssMarks(job.rssMarks);
  try {
    const { seconds, value: events } = await timed(async () => {
      let read = 0;
      await client.query('BEGIN');
      await client.query(`DECLARE all_events NO SCROLL CURSOR FOR SELECT ${EVENT_COLUMNS} FROM events ORDER BY transaction_id, global_position`);
      for (;;) {
        const { rows } = await client.query(`FETCH ${job.readBatch} FROM all_events`);
        read += rows.length;
        rss.progress(read);
        if (rows.length < job.readBatch) break;
      }
      await client.query('COMMIT');
      return read;
    });
    return { events, seconds, rssAt: rss.finish(events), note: `DECLARE CURSOR, FETCH ${job.readBatch}` };
  } finally {
    await client.end();
  }
}

/** Our store's subscription alone (no projection), until it says caught up: how much of the gap is reading. */
export async function storeRead(job: Job): Promise<JobResult> {
  const sql = await openPgSqlClient({ connectionString: job.url });
  const store = new SqlEventStore(sql);
  const rss = new RssMarks(job.rssMarks);
  try {
    const { seconds, value: events } = await timed(async () => {
      let read = 0;
      const subscription = store.subscribeToAll({ batchSize: job.readBatch });
      for await (const message of subscription) {
        if (message.kind === 'caught-up') break;
        read += message.events.length;
        rss.progress(read);
      }
      await subscription.close();
      return read;
    });
    return { events, seconds, rssAt: rss.finish(events), note: `subscribeToAll, pages of ${job.readBatch}` };
  } finally {
    await store.close();
    await sql.close();
  }
}
