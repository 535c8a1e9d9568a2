import { outcomeCounts } from '../../../projections/eval/outcome-counts.js';
import { openPgSqlClient } from '../../../src/database/pg-sql-client.js';
import { SqlEventStore } from '../../../src/event-store/sql/sql-event-store.js';
import { ProjectionEngine } from '../../../src/projection-engine/projection-engine.js';
import { timed } from '../../support/timing.js';
import type { Job, JobResult } from '../jobs.js';
import { RssMarks } from '../rss-marks.js';
import { outcomeCountsCheck } from './read-model-check.js';

/**
 * `lessonloop projections rebuild outcome-counts` as the engine runs it: a new instance from position 0,
 * until it has caught up and become current. Timed from the rebuild request to the switch.
 */
export async function ourRebuild(job: Job): Promise<JobResult> {
  const sql = await openPgSqlClient({ connectionString: job.url });
  const store = new SqlEventStore(sql);
  let processed = 0;
  const rss = new RssMarks(job.rssMarks);
  const engine = new ProjectionEngine({
    sql,
    store,
    projections: [outcomeCounts],
    options: {
      processor: { batchSize: job.commitBatch, readBatchSize: job.readBatch },
      hooks: { onBatchCommitted: (b) => rss.progress((processed += b.events)) },
    },
  });
  try {
    await engine.prepare();
    const { seconds, value: instanceId } = await timed(async () => {
      const instance = await engine.rebuild(outcomeCounts.name);
      await engine.run(instance.instanceId).whenCaughtUp();
      return instance.instanceId;
    });
    const rssAt = rss.finish(processed);
    await engine.stop();
    const check = await outcomeCountsCheck(sql, `SELECT * FROM outcome_counts WHERE instance_id = '${instanceId}'`);
    // Leave nothing behind for the next run: every instance but the current one, and its rows.
    for (const s of await engine.status(outcomeCounts.name)) if (!s.current) await engine.drop(s.instanceId);
    return {
      events: processed,
      seconds,
      rssAt,
      check,
      note: `engine rebuild, reads of ${job.readBatch}, commits of <= ${job.commitBatch} events`,
    };
  } finally {
    await store.close();
    await sql.close();
  }
}
