import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { EVENT_COLUMNS } from '../../../src/event-store/sql/event-rows.js';
import { copyTextRow } from '../../support/copy-text.js';
import { timed } from '../../support/timing.js';
import { READ_PAGE_SIZE, RUN_SIZE, STREAMS_PER_BULK_CALL, type Job, type MeasurementResult } from '../jobs.js';
import {
  BARE_TABLE,
  bareTableDdl,
  bareTableDriftSql,
  CLIENT_COLUMNS,
  clientValues,
  EVENTS_TABLE,
  INDEXED_TABLE,
  indexedTableDdl,
  READ_ALL_ORDER,
} from '../our-events-table.js';
import { runBatches, type RunBatch } from '../payload.js';

/** What PostgreSQL itself can do on this server, without any event-store logic: the ceilings we compare to. */

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** One COPY per transaction, the same rows and chunking as one bulk `appendMany` call (100 runs of 100). */
async function copyChunk(client: pg.Client, batches: RunBatch[], table = BARE_TABLE): Promise<void> {
  await client.query('BEGIN');
  const sink = client.query(copyFrom(`COPY ${table} (${CLIENT_COLUMNS.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(copyLines(batches)), sink);
  await client.query('COMMIT');
}

function* copyLines(batches: RunBatch[]): Generator<string> {
  for (const batch of batches) {
    let lines = '';
    batch.events.forEach((event, revision) => {
      lines += copyTextRow(clientValues(batch.streamId, revision, event));
    });
    yield lines;
  }
}

function* groups<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let group: T[] = [];
  for (const item of items) {
    group.push(item);
    if (group.length === size) {
      yield group;
      group = [];
    }
  }
  if (group.length > 0) yield group;
}

/** The COPY baseline only means something while it writes the same columns as our events table. */
async function refuseDrift(client: pg.Client): Promise<void> {
  const { rows: tables } = await client.query(`SELECT to_regclass($1) AS events`, [EVENTS_TABLE]);
  if (tables[0].events === null) throw new Error(`no ${EVENTS_TABLE} table: run our store's append before the COPY baseline`);
  const { rows } = await client.query<{ column_name: string; data_type: string; only_in: string }>(bareTableDriftSql);
  if (rows.length > 0) {
    const diff = rows.map((r) => `${r.column_name} ${r.data_type} only in ${r.only_in}`).join('; ');
    throw new Error(`${BARE_TABLE} no longer mirrors ${EVENTS_TABLE} (update bench/store/our-events-table.ts): ${diff}`);
  }
}

export async function rawCopy(job: Job, url: string): Promise<MeasurementResult> {
  return withClient(url, async (client) => {
    await client.query(bareTableDdl);
    await refuseDrift(client);
    for (const chunk of groups(runBatches(`${job.streamPrefix}-warmup`, job.warmupEvents, RUN_SIZE), STREAMS_PER_BULK_CALL)) {
      await copyChunk(client, chunk);
    }
    const chunks = [...groups(runBatches(job.streamPrefix, job.events, RUN_SIZE), STREAMS_PER_BULK_CALL)];
    const { seconds } = await timed(async () => {
      for (const chunk of chunks) await copyChunk(client, chunk);
    });
    return { events: job.events, seconds, note: `COPY text, ${RUN_SIZE * STREAMS_PER_BULK_CALL} rows per COPY+commit` };
  });
}

/**
 * The bulk path's fair ceiling: the same COPY into a table with every index, constraint and default of the events
 * table (primary key on (transaction_id, global_position), unique event id, unique (stream, revision), checks),
 * so the bulk append is judged against what its indexes allow. Our bulk path also keeps the streams table.
 */
export async function rawCopyIndexed(job: Job, url: string): Promise<MeasurementResult> {
  return withClient(url, async (client) => {
    const { rows: tables } = await client.query(`SELECT to_regclass($1) AS events`, [EVENTS_TABLE]);
    if (tables[0].events === null) throw new Error(`no ${EVENTS_TABLE} table: run our store's append before the COPY baselines`);
    await client.query(indexedTableDdl);
    for (const chunk of groups(runBatches(`${job.streamPrefix}-warmup`, job.warmupEvents, RUN_SIZE), STREAMS_PER_BULK_CALL)) {
      await copyChunk(client, chunk, INDEXED_TABLE);
    }
    const chunks = [...groups(runBatches(job.streamPrefix, job.events, RUN_SIZE), STREAMS_PER_BULK_CALL)];
    const { seconds } = await timed(async () => {
      for (const chunk of chunks) await copyChunk(client, chunk, INDEXED_TABLE);
    });
    return { events: job.events, seconds, note: `COPY text into LIKE ${EVENTS_TABLE} INCLUDING ALL, ${RUN_SIZE * STREAMS_PER_BULK_CALL} rows per COPY+commit` };
  });
}

/**
 * `DECLARE ... CURSOR` over the store's own table in its read order, FETCH 1000 until empty: the same columns
 * readAll selects, parsed by pg the same way, without the horizon, keyset paging or mapping to RecordedEvent.
 */
export async function rawCursorRead(job: Job, url: string): Promise<MeasurementResult> {
  return withClient(url, async (client) => {
    const readAll = async (limit: number | null): Promise<number> => {
      await client.query('BEGIN');
      await client.query(
        `DECLARE all_events NO SCROLL CURSOR FOR SELECT ${EVENT_COLUMNS} FROM ${EVENTS_TABLE} ORDER BY ${READ_ALL_ORDER}` +
          (limit === null ? '' : ` LIMIT ${limit}`),
      );
      let read = 0;
      for (;;) {
        const page = await client.query(`FETCH ${READ_PAGE_SIZE} FROM all_events`);
        read += page.rows.length;
        if (page.rows.length < READ_PAGE_SIZE) break;
      }
      await client.query('COMMIT');
      return read;
    };
    await readAll(job.warmupEvents);
    const { seconds, value: read } = await timed(() => readAll(null));
    return { events: read, seconds, note: `cursor, FETCH ${READ_PAGE_SIZE}` };
  });
}

/**
 * Keyset paging over the same index: `WHERE (transaction_id, global_position) > last ORDER BY ... LIMIT 1000`,
 * the same columns, no visibility horizon. Here FETCH from a cursor measured 15-30% slower than this, even
 * with pg's row parsing turned off, so both raw reads are reported.
 */
export async function rawKeysetRead(job: Job, url: string): Promise<MeasurementResult> {
  const page = `SELECT ${EVENT_COLUMNS} FROM ${EVENTS_TABLE}
    WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
    ORDER BY ${READ_ALL_ORDER} LIMIT ${READ_PAGE_SIZE}`;
  return withClient(url, async (client) => {
    const readAll = async (limit: number): Promise<number> => {
      let after: [string, string] = ['0', '-1'];
      let read = 0;
      while (read < limit) {
        const { rows } = await client.query<{ transaction_id: string; global_position: string }>(page, after);
        if (rows.length === 0) break;
        read += rows.length;
        const last = rows[rows.length - 1]!;
        after = [last.transaction_id, last.global_position];
      }
      return read;
    };
    await readAll(job.warmupEvents);
    const { seconds, value: read } = await timed(() => readAll(Number.POSITIVE_INFINITY));
    return { events: read, seconds, note: `keyset, LIMIT ${READ_PAGE_SIZE}` };
  });
}
