import { lessonEffects } from '../../../projections/effects/lesson-effects.js';
import { injectionGate } from '../../../projections/injection-gate/gate-observations.js';
import { openPgSqlClient } from '../../../src/database/pg-sql-client.js';
import { SqlEventStore } from '../../../src/event-store/sql/sql-event-store.js';
import { ProjectionEngine } from '../../../src/projection-engine/projection-engine.js';
import { RssMarks } from '../../rebuild/rss-marks.js';
import type { JobResult } from '../../rebuild/jobs.js';
import { timed } from '../../support/timing.js';
import type { EffectsJob } from './jobs.js';

/** The effect read models: every projection that folds LessonExposureRecorded into per-lesson documents. */
export const EFFECT_READ_MODELS = [lessonEffects, injectionGate];

/**
 * `lessonloop projections rebuild <name>` as the engine runs it, for each named effect read model at once: new
 * instances from position 0, timed from the rebuild request until every one has caught up and become current.
 * Events counted are the events read (the whole log), as the raw cursor read counts them.
 */
export async function rebuildEffects(job: Extract<EffectsJob, { kind: 'rebuild' }>): Promise<JobResult> {
  const sql = await openPgSqlClient({ connectionString: job.url });
  const store = new SqlEventStore(sql);
  const projections = EFFECT_READ_MODELS.filter((p) => job.projections.includes(p.name));
  const processed = new Map<string, number>();
  const rss = new RssMarks(job.rssMarks);
  const engine = new ProjectionEngine({
    sql,
    store,
    projections,
    options: {
      processor: { batchSize: job.commitBatch, readBatchSize: job.readBatch, ...(job.leaseTtlMs ? { leaseTtlMs: job.leaseTtlMs } : {}) },
      hooks: {
        onBatchCommitted: (b) => {
          processed.set(b.instanceId, (processed.get(b.instanceId) ?? 0) + b.events);
          rss.progress(Math.min(...processed.values()));
        },
      },
    },
  });
  try {
    await engine.prepare();
    const { seconds, value: instances } = await timed(async () => {
      const started = await Promise.all(projections.map((p) => engine.rebuild(p.name)));
      await Promise.all(started.map((instance) => engine.run(instance.instanceId, instance.name).whenCaughtUp()));
      return started;
    });
    const events = Math.min(...instances.map((i) => processed.get(i.instanceId) ?? 0));
    const rssAt = rss.finish(events);
    await engine.stop();
    for (const p of projections) for (const s of await engine.status(p.name)) if (!s.current) await engine.drop(s.instanceId);
    const docs: string[] = [];
    const count = async (table: string) => (await sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`)).rows[0]!.n;
    for (const p of projections) {
      docs.push(`${await count(p.documentTable)} ${p.name} documents`);
      for (const table of Object.keys(p.tables ?? {})) docs.push(`${await count(table)} ${table} rows`);
    }
    return {
      events,
      seconds,
      rssAt,
      note: `engine rebuild of ${projections.map((p) => p.name).join(' + ')}, reads of ${job.readBatch}, commits of <= ${job.commitBatch}${job.leaseTtlMs ? `, lease ${job.leaseTtlMs} ms` : ''}; ${docs.join(', ')}`,
    };
  } finally {
    await store.close();
    await sql.close();
  }
}
