import { rawSql } from '@event-driven-io/dumbo';
import { postgreSQLEventStoreConsumer, postgreSQLRawBatchSQLProjection } from '@event-driven-io/emmett-postgresql';
import type { TestOutcomeRecordedData } from '../../../contracts/eval.js';
import { NO_TOOL_FORMAT } from '../../../projections/eval/outcome-counts.js';
import { openPgSqlClient } from '../../../src/database/pg-sql-client.js';
import { timed } from '../../support/timing.js';
import type { Job, JobResult } from '../jobs.js';
import { RssMarks } from '../rss-marks.js';
import { outcomeCountsCheck } from './read-model-check.js';

const TABLE = 'emmett_outcome_counts';

const quote = (value: string | null) => (value === null ? 'NULL' : `'${value.replace(/'/g, "''")}'`);

interface Counts {
  model: string;
  toolFormat: string;
  test: string;
  passes: number;
  fails: number;
  infra: number;
  lastRunId: string;
  lastRunAt: string;
  lastPassed: boolean;
}

/**
 * The same projection (outcome-counts, default rules) as an Emmett raw-SQL batch projection: the events it
 * is handed are aggregated per key and written with one multi-row upsert, the way one would write it for
 * Emmett. Its projector (0.42) hands the projection one event at a time and stores the checkpoint after
 * each, all in one transaction per pulled page.
 */
const emmettOutcomeCounts = postgreSQLRawBatchSQLProjection<{ type: 'TestOutcomeRecorded'; data: TestOutcomeRecordedData; metadata: { occurredAt: string } }>({
  name: 'outcome-counts',
  canHandle: ['TestOutcomeRecorded'],
  init: () =>
    rawSql(`CREATE TABLE IF NOT EXISTS ${TABLE} (
      model text NOT NULL, tool_format text NOT NULL, test text NOT NULL,
      passes bigint NOT NULL DEFAULT 0, fails bigint NOT NULL DEFAULT 0, infra_errors bigint NOT NULL DEFAULT 0,
      last_run_id text, last_run_at timestamptz, last_passed boolean,
      PRIMARY KEY (model, tool_format, test))`),
  evolve: (events) => {
    const byKey = new Map<string, Counts>();
    for (const event of events) {
      const o = event.data;
      const toolFormat = o.toolFormat ?? NO_TOOL_FORMAT;
      const key = JSON.stringify([o.model, toolFormat, o.test]);
      const at = event.metadata.occurredAt;
      let c = byKey.get(key);
      if (!c) {
        c = { model: o.model, toolFormat, test: o.test, passes: 0, fails: 0, infra: 0, lastRunId: o.runId, lastRunAt: at, lastPassed: o.passed };
        byKey.set(key, c);
      }
      if (o.passed) c.passes++;
      else if (o.suspectedInfraError) c.infra++;
      else c.fails++;
      if (Date.parse(at) >= Date.parse(c.lastRunAt)) Object.assign(c, { lastRunId: o.runId, lastRunAt: at, lastPassed: o.passed });
    }
    if (byKey.size === 0) return [];
    const values = [...byKey.values()].map(
      (c) =>
        `(${quote(c.model)}, ${quote(c.toolFormat)}, ${quote(c.test)}, ${c.passes}, ${c.fails}, ${c.infra}, ` +
        `${quote(c.lastRunId)}, ${quote(c.lastRunAt)}, ${c.lastPassed})`,
    );
    const newer = `(${TABLE}.last_run_at IS NULL OR EXCLUDED.last_run_at >= ${TABLE}.last_run_at)`;
    return [
      rawSql(`INSERT INTO ${TABLE} (model, tool_format, test, passes, fails, infra_errors, last_run_id, last_run_at, last_passed)
        VALUES ${values.join(', ')}
        ON CONFLICT (model, tool_format, test) DO UPDATE SET
          passes = ${TABLE}.passes + EXCLUDED.passes, fails = ${TABLE}.fails + EXCLUDED.fails,
          infra_errors = ${TABLE}.infra_errors + EXCLUDED.infra_errors,
          last_run_id = CASE WHEN ${newer} THEN EXCLUDED.last_run_id ELSE ${TABLE}.last_run_id END,
          last_passed = CASE WHEN ${newer} THEN EXCLUDED.last_passed ELSE ${TABLE}.last_passed END,
          last_run_at = CASE WHEN ${newer} THEN EXCLUDED.last_run_at ELSE ${TABLE}.last_run_at END`),
    ];
  },
});

/** Emmett's consumer + projector from the beginning until no messages are left (or the cap). */
export async function emmettRebuild(job: Job): Promise<JobResult> {
  const sql = await openPgSqlClient({ connectionString: job.url });
  await sql.query(`DROP TABLE IF EXISTS ${TABLE}`);
  const rss = new RssMarks(job.rssMarks);
  let seen = 0;
  const cap = job.emmettEvents > 0 ? job.emmettEvents : Number.POSITIVE_INFINITY;
  const consumer = postgreSQLEventStoreConsumer({
    connectionString: job.url,
    pulling: { batchSize: job.readBatch, pullingFrequencyInMs: 0 },
    stopWhen: { noMessagesLeft: true },
  });
  consumer.projector({
    processorId: `bench-outcome-counts-${Date.now()}`,
    projection: emmettOutcomeCounts,
    startFrom: 'BEGINNING',
    stopAfter: () => {
      rss.progress(++seen);
      return seen >= cap;
    },
  });
  try {
    const { seconds } = await timed(() => consumer.start());
    const rssAt = rss.finish(seen);
    const check = await outcomeCountsCheck(sql, `SELECT * FROM ${TABLE}`);
    return {
      events: seen,
      seconds,
      rssAt,
      check,
      note: `consumer + projector (raw batch SQL projection), pulls of ${job.readBatch}${Number.isFinite(cap) ? `, first ${cap} events` : ''}`,
    };
  } finally {
    await consumer.close().catch(() => undefined);
    await sql.close();
  }
}
