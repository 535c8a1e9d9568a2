import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { buildEvalRunEvents } from '../../../src/ingest/eval-run-events.js';
import { CURRENT_EVAL_RESULTS_HEADER } from '../../../src/ingest/gptme/headers.js';
import { readRunFolder } from '../../../src/ingest/gptme/read-run-folder.js';
import { isRunFolderName } from '../../../src/ingest/gptme/run-folder.js';
import { BARE_TABLE, bareTableDdl, CLIENT_COLUMNS, clientValues } from '../../store/our-events-table.js';
import { copyTextRow } from '../../support/copy-text.js';
import { timed } from '../../support/timing.js';
import type { Job, MeasurementResult } from '../jobs.js';

/**
 * The ceilings: the same runs read and parsed by the same code, their events COPYed into a bare table with the
 * events table's columns (no constraints, index or trigger) — what the store's bulk path is compared with —
 * and the CSV rows themselves COPYed as text (no parsing, no JSON): the floor of getting the rows in at all.
 */
async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function copyInTransaction(client: pg.Client, sql: string, text: string): Promise<void> {
  await client.query('BEGIN');
  await pipeline(Readable.from([text]), client.query(copyFrom(sql)));
  await client.query('COMMIT');
}

async function runFolders(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter(isRunFolderName).sort();
}

export async function rawCopyEvents(job: Job): Promise<MeasurementResult> {
  return withClient(job.url, async (client) => {
    await client.query(bareTableDdl);
    const copySql = `COPY ${BARE_TABLE} (${CLIENT_COLUMNS.join(', ')}) FROM STDIN`;
    const { seconds, value } = await timed(async () => {
      let rows = 0;
      let written = 0;
      let text = '';
      let inBatch = 0;
      // Like the importer: one batch is copied while the next is parsed.
      let copying: Promise<void> = Promise.resolve();
      for (const folder of await runFolders(job.historyDir)) {
        const run = await readRunFolder(path.join(job.historyDir, folder));
        const append = buildEvalRunEvents(run);
        append.events.forEach((event, revision) => {
          text += copyTextRow(clientValues(append.streamId, revision, event));
        });
        rows += run.outcomes.length;
        inBatch += append.events.length;
        if (inBatch >= job.batchEvents) {
          await copying;
          copying = copyInTransaction(client, copySql, text);
          written += inBatch;
          text = '';
          inBatch = 0;
        }
      }
      await copying;
      if (inBatch > 0) await copyInTransaction(client, copySql, text);
      return { rows, written: written + inBatch };
    });
    return { ...value, seconds, note: `same parsing, COPY text of the event rows, >= ${job.batchEvents} per COPY+commit` };
  });
}

export async function rawCopyCsv(job: Job): Promise<MeasurementResult> {
  return withClient(job.url, async (client) => {
    const columns = CURRENT_EVAL_RESULTS_HEADER.map((_, i) => `c${i} text`).join(', ');
    await client.query(`CREATE TABLE bench_raw_csv (${columns})`);
    const copySql = 'COPY bench_raw_csv FROM STDIN (FORMAT csv)';
    const { seconds, value } = await timed(async () => {
      let rows = 0;
      let text = '';
      let inBatch = 0;
      let copying: Promise<void> = Promise.resolve();
      for (const folder of await runFolders(job.historyDir)) {
        const file = await readFile(path.join(job.historyDir, folder, 'eval_results.csv'), 'utf8');
        const body = file.slice(file.indexOf('\n') + 1);
        const lines = body.split('\n').length - 1;
        text += body;
        rows += lines;
        inBatch += lines;
        if (inBatch >= job.batchEvents) {
          await copying;
          copying = copyInTransaction(client, copySql, text);
          text = '';
          inBatch = 0;
        }
      }
      await copying;
      if (inBatch > 0) await copyInTransaction(client, copySql, text);
      return rows;
    });
    return { rows: value, written: value, seconds, note: `the CSV rows as text columns, no parsing, >= ${job.batchEvents} per COPY+commit` };
  });
}
