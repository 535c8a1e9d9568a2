/**
 * Finds the `TestOutcomeRecorded` events a reward refers to, without reading the whole log: an event id is
 * looked up in the `test-history` read model (keyed by outcome event id) for its run, and each run involved is
 * read as its own stream (`eval-run-<runId>`), which also resolves (runId, test, model) references. The
 * outcomes returned are the stored events (passed, infra flag, global position), not the read model's copy.
 *
 * The read model follows the log: before calling an id unknown, the lookup waits (up to `waitMs`) until the
 * read model has caught up with the head of the log as it was when the lookup began. When it cannot catch up
 * (never built in this database, or behind with no process holding its lease, e.g. every process runs with
 * LESSONLOOP_RUN_PROJECTIONS=never) ids are refused at once with what to do instead; (runId, test, model)
 * references need only the run streams and always resolve.
 */
import type { RewardOutcome } from '../../../contracts/bandit.js';
import { comparePositions, type RecordedEvent } from '../../../contracts/envelope.js';
import type { TestOutcomeRecordedData } from '../../../contracts/eval.js';
import { TEST_HISTORY_TABLE, testHistory } from '../../../projections/eval/test-history.js';
import type { SqlExecutor } from '../../database/sql-client.js';
import type { EventStore } from '../../event-store/event-store.port.js';
import { evalRunStreamId } from '../../ingest/eval-run-events.js';
import { readModelStand } from '../read-model-checkpoint.js';

export interface TestReference {
  runId: string;
  test: string;
  /** The model name, or the raw model string as the CSV wrote it (`openai/gpt-4o@tool`). */
  model: string;
}

export interface OutcomeReferences {
  eventIds: readonly string[];
  tests: readonly TestReference[];
}

/** A reference that names no outcome: `field` is the request field (`evalOutcomeIds.2`, `evalOutcomes.0`). */
export interface UnknownReference {
  field: string;
  reason: string;
}

export type Resolution = { outcomes: RewardOutcome[]; unknown: UnknownReference[] };

export class OutcomeIndexBehindError extends Error {
  constructor() {
    super(
      'The eval outcome index (test-history read model) has not caught up with the log yet: retry shortly, ' +
        'or reference the outcomes as evalOutcomes [{ runId, test, model }], which are read from the run streams',
    );
    this.name = 'OutcomeIndexBehindError';
  }
}

export class OutcomeIndexAbsentError extends Error {
  constructor(why: string) {
    super(
      `evalOutcomeIds need the test-history read model, which ${why}: run the projections ` +
        '(a `lessonloop serve` with LESSONLOOP_RUN_PROJECTIONS auto or always on this database), ' +
        'or reference the outcomes as evalOutcomes [{ runId, test, model }], which are read from the run streams',
    );
    this.name = 'OutcomeIndexAbsentError';
  }
}

/** `sql` null: no read-model database (ids are refused, see OutcomeIndexAbsentError). */
export async function resolveEvalOutcomes(
  sql: SqlExecutor | null,
  store: EventStore,
  refs: OutcomeReferences,
  options: { waitMs?: number } = {},
): Promise<Resolution> {
  const runOfId = await runsOfEventIds(sql, store, refs.eventIds, options.waitMs ?? 10_000);
  const runIds = new Set([...runOfId.values(), ...refs.tests.map((t) => t.runId)]);
  const runs = new Map<string, RecordedEvent[]>();
  for (const runId of runIds) {
    runs.set(runId, (await store.readStream(evalRunStreamId(runId))).filter((e) => e.type === 'TestOutcomeRecorded'));
  }
  const outcomes: RewardOutcome[] = [];
  const unknown: UnknownReference[] = [];
  refs.eventIds.forEach((eventId, i) => {
    const runId = runOfId.get(eventId);
    const event = runId === undefined ? undefined : runs.get(runId)?.find((e) => e.eventId === eventId);
    if (event) outcomes.push(rewardOutcome(event));
    else unknown.push({ field: `evalOutcomeIds.${i}`, reason: `no TestOutcomeRecorded event has id ${eventId}` });
  });
  refs.tests.forEach((ref, i) => {
    const found = (runs.get(ref.runId) ?? []).filter((e) => {
      const data = e.data as TestOutcomeRecordedData;
      return data.test === ref.test && (data.model === ref.model || data.rawModel === ref.model);
    });
    if (found.length > 0) outcomes.push(...found.map(rewardOutcome));
    else unknown.push({ field: `evalOutcomes.${i}`, reason: `run ${ref.runId} has no outcome of test ${ref.test} for model ${ref.model}` });
  });
  return { outcomes, unknown };
}

function rewardOutcome(event: RecordedEvent): RewardOutcome {
  const data = event.data as TestOutcomeRecordedData;
  return {
    eventId: event.eventId,
    globalPosition: event.globalPosition.toString(),
    runId: data.runId,
    test: data.test,
    model: data.rawModel,
    passed: data.passed,
    suspectedInfraError: data.suspectedInfraError,
  };
}

const STARTING_GRACE_MS = 3_000;

/** Whether a process running the projection engine has said it is alive in the last few seconds. */
async function aProjectorIsRunning(sql: SqlExecutor): Promise<boolean> {
  try {
    const { rows } = await sql.query(`SELECT 1 FROM projection_workers WHERE seen_at > clock_timestamp() - interval '5 seconds' LIMIT 1`);
    return rows.length > 0;
  } catch {
    return false; // no engine has ever run here (its tables are not there)
  }
}

/** event id -> run id for the ids the read model knows, waiting for it to reach today's head when some are missing. */
async function runsOfEventIds(sql: SqlExecutor | null, store: EventStore, eventIds: readonly string[], waitMs: number): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (eventIds.length === 0) return found;
  if (!sql) throw new OutcomeIndexAbsentError('has not been built in this database');
  const head = await store.headPosition();
  const deadline = Date.now() + waitMs;
  // A process that has just started takes its leases (a segmented read model's after its first heartbeat) within
  // about a second: until then nothing projects the read model yet, which is not yet a reason to refuse.
  const startingUntil = Date.now() + Math.min(waitMs, STARTING_GRACE_MS);
  const refuse = async () => Date.now() > startingUntil || !(await aProjectorIsRunning(sql));
  for (;;) {
    const stand = await readModelStand(sql, testHistory.name);
    if (!stand && (await refuse())) throw new OutcomeIndexAbsentError('has not been built in this database');
    if (stand) {
      const { instanceId } = stand;
      const { rows } = await sql.query<{ event_id: string; run_id: string }>(
        `SELECT event_id, run_id FROM ${TEST_HISTORY_TABLE} WHERE instance_id = $1 AND event_id = ANY($2::text[])`,
        [instanceId, [...new Set(eventIds)]],
      );
      for (const row of rows) found.set(row.event_id, row.run_id);
      if (found.size === new Set(eventIds).size) return found;
      // Missing ids are unknown once the read model has seen everything that was in the log when we began.
      if (!head || (stand.checkpoint && comparePositions(stand.checkpoint, head) >= 0)) return found;
      // Behind and nobody projecting it: waiting cannot help.
      if (!stand.projecting && (await refuse())) {
        throw new OutcomeIndexAbsentError(stand.checkpoint ? 'is behind the log with no process projecting it' : 'has not been built in this database (no process projects it)');
      }
    }
    if (Date.now() > deadline) throw new OutcomeIndexBehindError();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
