import type { Backend, Job, MeasurementId } from './jobs.js';

export interface PlannedMeasurement {
  /** Unique in a run: `<backend>/<measurement>`. */
  id: string;
  store: string;
  operation: string;
  /** Absent: the row only says why this combination is not measured. */
  job?: Job;
  notApplicable?: string;
  /** Id of the measurement this one's rate is divided by in the ratio column. */
  peer?: string;
}

export interface PlanOptions {
  events: number;
  postgres?: Extract<Backend, { kind: 'postgres' }>;
  pglite?: Extract<Backend, { kind: 'pglite' }>;
}

/** At most 2,000 warm-up events, a tenth of the run, in whole runs of 100. */
export function warmupEventsFor(events: number): number {
  return Math.min(2_000, Math.max(100, Math.floor(events / 1_000) * 100));
}

const OPERATIONS: Record<MeasurementId, string> = {
  'ours.open': 'open + migrate a new database (no events)',
  settle: 'before the reads: VACUUM (ANALYZE) + CHECKPOINT',
  'ours.append': 'append, 1 stream x 100 events per call',
  'emmett.append': 'append, 1 stream x 100 events per call',
  'ours.append-many': 'bulk appendMany, 100 streams x 100 per call',
  'raw.copy': 'raw COPY into a bare table, 10k rows per COPY',
  'raw.copy-indexed': 'raw COPY into a table with the events table\'s indexes, 10k rows per COPY',
  'ours.read-all': 'read all, readAll pages of 1000',
  'ours.subscribe': 'read all, subscribeToAll until caught-up',
  'raw.cursor-read': 'read all, server-side cursor FETCH 1000',
  'raw.keyset-read': 'read all, keyset SELECT ... LIMIT 1000 (no horizon)',
  'emmett.read': 'read all, its consumers\' batch puller, pages of 1000',
  'emmett.read-reactor': 'read all, consumer + reactor (checkpoint per event)',
};

/**
 * Writes before reads (the reads read what the writes left), each store's append before the bulk path, and a
 * settle step between them. On PostgreSQL everything shares one database, so the reads of our table see both
 * our append and bulk rows.
 */
export function planMeasurements({ events, postgres, pglite }: PlanOptions): PlannedMeasurement[] {
  const warmupEvents = warmupEventsFor(events);
  const plan: PlannedMeasurement[] = [];
  const add = (backend: Backend, measurement: MeasurementId, store: string, peer?: MeasurementId) => {
    const id = `${backend.kind}/${measurement}`;
    plan.push({
      id,
      store,
      operation: OPERATIONS[measurement],
      job: { measurement, backend, events, warmupEvents, streamPrefix: `${measurement.replace('.', '-')}-${backend.kind}` },
      peer: peer ? `${backend.kind}/${peer}` : undefined,
    });
  };
  if (postgres) {
    add(postgres, 'ours.open', 'lessonloop (PostgreSQL)');
    add(postgres, 'emmett.append', 'Emmett 0.42 (PostgreSQL)');
    add(postgres, 'ours.append', 'lessonloop (PostgreSQL)', 'emmett.append');
    add(postgres, 'raw.copy', 'raw COPY (PostgreSQL)');
    add(postgres, 'raw.copy-indexed', 'raw COPY, same indexes (PostgreSQL)', 'raw.copy');
    add(postgres, 'ours.append-many', 'lessonloop (PostgreSQL)', 'raw.copy-indexed');
    add(postgres, 'settle', 'PostgreSQL server');
    add(postgres, 'raw.cursor-read', 'raw cursor (PostgreSQL)');
    add(postgres, 'raw.keyset-read', 'raw keyset (PostgreSQL)', 'raw.cursor-read');
    add(postgres, 'ours.read-all', 'lessonloop (PostgreSQL)', 'raw.cursor-read');
    add(postgres, 'ours.subscribe', 'lessonloop (PostgreSQL)', 'raw.cursor-read');
    add(postgres, 'emmett.read', 'Emmett 0.42 (PostgreSQL)', 'ours.read-all');
    add(postgres, 'emmett.read-reactor', 'Emmett 0.42 (PostgreSQL)', 'ours.read-all');
  }
  if (pglite) {
    // First, so initdb's memory and time are reported on their own row, not charged to the append.
    add(pglite, 'ours.open', 'lessonloop (PGlite, on disk)');
    add(pglite, 'ours.append', 'lessonloop (PGlite, on disk)');
    add(pglite, 'ours.append-many', 'lessonloop (PGlite, on disk)');
    add(pglite, 'settle', 'PGlite');
    add(pglite, 'ours.read-all', 'lessonloop (PGlite, on disk)');
    add(pglite, 'ours.subscribe', 'lessonloop (PGlite, on disk)');
    plan.push(
      { id: 'pglite/emmett', store: 'Emmett (PGlite)', operation: 'append / read: Emmett 0.42 has no PGlite store', notApplicable: 'n/a' },
      { id: 'pglite/raw.copy', store: 'raw COPY / cursor (PGlite)', operation: 'baselines: only our store is measured in-process', notApplicable: 'n/a' },
    );
  }
  return plan;
}
