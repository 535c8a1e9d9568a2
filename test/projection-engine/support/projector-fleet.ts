/**
 * A scratch PostgreSQL database with an eval history and projector child processes running one instance on it:
 * the takeover specs (takeover-kill-and-stop.spec.ts, segments-processes.spec.ts) spawn, kill and watch them.
 */
import { outcomeCounts } from '../../../projections/eval/outcome-counts.js';
import { testHistory } from '../../../projections/eval/test-history.js';
import { migrate } from '../../../src/database/migrate.js';
import { openPgSqlClient } from '../../../src/database/pg-sql-client.js';
import type { SqlClient } from '../../../src/database/sql-client.js';
import { SqlEventStore } from '../../../src/event-store/sql/sql-event-store.js';
import type { ProcessorOptions } from '../../../src/projection-engine/processing/processor-options.js';
import { ProjectionEngine } from '../../../src/projection-engine/projection-engine.js';
import type { ProjectorConfig } from '../children/projector.child.js';
import { spawnProjector, type RunningProjector } from './child-projector.js';
import { appendOutcomeRuns } from './outcome-history.js';
import { createScratchDatabase, type ScratchDatabase } from './scratch-postgres.js';
import { segmentedOutcomeCounts } from './segmented-outcome-counts.js';

export interface Fleet {
  scratch: ScratchDatabase;
  sql: SqlClient;
  store: SqlEventStore;
  children: RunningProjector[];
  spawn(): RunningProjector;
}

export const PROJECTIONS = {
  'outcome-counts': outcomeCounts,
  'outcome-counts-segmented': segmentedOutcomeCounts,
  'test-history': testHistory,
} as const;

/** A database with `runs` runs of 20 outcomes and the projection's first instance (not projected yet). */
export async function setUpFleet(
  databaseUrl: string,
  runs: number,
  instanceId: string,
  processor: Partial<ProcessorOptions>,
  projection: keyof typeof PROJECTIONS = 'outcome-counts',
): Promise<Fleet> {
  const scratch = await createScratchDatabase(databaseUrl);
  const sql = await openPgSqlClient({ connectionString: scratch.url });
  const store = new SqlEventStore(sql);
  await migrate(sql);
  const engine = new ProjectionEngine({ sql, store, projections: [PROJECTIONS[projection]], options: { processor } });
  await engine.prepare();
  await engine.stop();
  await appendOutcomeRuns(store, 'takeover', 0, runs); // 20 outcomes a run
  const children: RunningProjector[] = [];
  const config: ProjectorConfig = { database: { engine: 'postgres', url: scratch.url }, instanceId, processor, projection };
  return { scratch, sql, store, children, spawn: () => children[children.push(spawnProjector(config)) - 1]! };
}

export async function tearDownFleet(f: Fleet): Promise<void> {
  await Promise.all(f.children.map((c) => c.kill('SIGKILL')));
  await f.store.close();
  await f.sql.close();
  await f.scratch.drop();
}

export const isAlive = (c: RunningProjector) => c.child.exitCode === null && c.child.signalCode === null;

/** The child that holds the lease now: the one that said `lease` and has not been killed. */
export async function holderOf(candidates: RunningProjector[]): Promise<RunningProjector> {
  return Promise.any(candidates.map((c) => c.waitFor('lease', 30_000).then(() => c)));
}

export const batchesOf = (child: RunningProjector) => child.messages.filter((m) => m.type === 'batch').length;

/** Who holds each unit (segment lease) now, as the children said: the latest `lease` message of each unit. */
export function unitHolders(children: RunningProjector[]): Map<string, RunningProjector> {
  const leases = children
    .flatMap((child) => child.messages.filter((m) => m.type === 'lease').map((m) => ({ child, unit: String(m.unit), at: m.receivedAt })))
    .sort((a, b) => a.at - b.at);
  return new Map(leases.map((l) => [l.unit, l.child]));
}

export function describeFleet(f: Fleet): string {
  return f.children
    .map((c) => `${c.pid} exit=${c.child.exitCode}/${c.child.signalCode} ${JSON.stringify(c.messages.slice(-3))} ${c.stderr().slice(-500)}`)
    .join('\n');
}
