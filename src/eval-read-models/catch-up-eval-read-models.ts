/**
 * Brings the eval read models up to date in this process and stops: a projection engine holding only the
 * `leaderboard`, `trends` and `test-history` projections runs their current instances (created on first use;
 * a `trends` instance for a rule set that changes the trend rules is rebuilt from the start when it does not exist
 * yet; one that leaves them alone is answered by the default instance, so none is built for it) until each has
 * applied everything stored. Used by the CLI commands and the benchmark; a long-running server should have
 * the projection engine run EVAL_READ_MODEL_PROJECTIONS instead.
 */
import { comparePositions, type Position } from '../../contracts/envelope.js';
import type { SqlClient } from '../database/sql-client.js';
import type { EventStore } from '../event-store/event-store.port.js';
import type { ProcessorOptions } from '../projection-engine/processing/processor-options.js';
import { ProjectionEngine } from '../projection-engine/projection-engine.js';
import { storeRuleSetSource, UnknownRuleSetError, type RuleSetSource } from '../projection-engine/instances/rule-sets.js';
import { trends } from '../../projections/eval/trends.js';
import { EVAL_READ_MODEL_PROJECTIONS } from './eval-read-model-projections.js';
import { trendsRuleSetResolver } from './read-model/trends-rule-set.js';

export interface CatchUpOptions {
  /** Also bring the `trends` instance of this rule set up to date (creating it if needed). */
  trendsRuleSet?: string;
  ruleSets?: RuleSetSource;
  processor?: Partial<ProcessorOptions>;
  /**
   * Give up waiting after this long (default 60 s) and answer from what is projected: a server running the
   * same projections holds their leases and keeps them current itself.
   */
  timeoutMs?: number;
}

/** The newest stored event, committed or not yet readable (SQL store), else the store's readable head. */
async function lastStoredPosition(sql: SqlClient, store: EventStore): Promise<Position | null> {
  try {
    const { rows } = await sql.query<{ c: string; p: string }>(
      'SELECT transaction_id::text AS c, global_position::text AS p FROM events ORDER BY transaction_id DESC, global_position DESC LIMIT 1',
    );
    return rows[0] ? { commit: BigInt(rows[0].c), prepare: BigInt(rows[0].p) } : null;
  } catch {
    return store.headPosition();
  }
}

async function checkpointBefore(sql: SqlClient, instanceId: string, target: Position): Promise<boolean> {
  const { rows } = await sql.query<{ c: string; p: string }>(
    'SELECT commit_position::text AS c, prepare_position::text AS p FROM projection_instances WHERE instance_id = $1',
    [instanceId],
  );
  const row = rows[0];
  return !row || comparePositions({ commit: BigInt(row.c), prepare: BigInt(row.p) }, target) < 0;
}

/** A rule set defined a moment ago may not be readable yet on PostgreSQL (see below): wait this long for it. */
const RULE_SET_WAIT_MS = 20_000;

async function rebuildWhenDefined(engine: ProjectionEngine, ruleSetId: string, deadline: number) {
  for (;;) {
    try {
      return await engine.rebuild(trends.name, ruleSetId);
    } catch (error) {
      if (!(error instanceof UnknownRuleSetError) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * Whether GET /trends answers the rule set from its own instance. A rule set not readable from its stream yet
 * (or known only to `options.ruleSets`) is built as before: rebuildWhenDefined waits for it.
 */
async function needsOwnTrendsInstance(store: EventStore, ruleSetId: string): Promise<boolean> {
  try {
    return (await trendsRuleSetResolver(store)(ruleSetId)).instanceRuleSet !== null;
  } catch (error) {
    if (error instanceof UnknownRuleSetError) return true;
    throw error;
  }
}

export function evalReadModelsEngine(sql: SqlClient, store: EventStore, options: CatchUpOptions = {}): ProjectionEngine {
  return new ProjectionEngine({
    sql,
    store,
    projections: EVAL_READ_MODEL_PROJECTIONS,
    ruleSets: options.ruleSets ?? storeRuleSetSource(store),
    ...(options.processor ? { options: { processor: options.processor } } : {}),
  });
}

export async function catchUpEvalReadModels(sql: SqlClient, store: EventStore, options: CatchUpOptions = {}): Promise<void> {
  const engine = evalReadModelsEngine(sql, store, options);
  await engine.prepare();
  try {
    const instances: [string, string][] = [];
    for (const projection of EVAL_READ_MODEL_PROJECTIONS) {
      const id = await engine.currentInstanceId(projection.name);
      if (id) instances.push([id, projection.name]);
    }
    if (options.trendsRuleSet && (await needsOwnTrendsInstance(store, options.trendsRuleSet))) {
      const id =
        (await engine.currentInstanceId(trends.name, options.trendsRuleSet)) ??
        (await rebuildWhenDefined(engine, options.trendsRuleSet, Date.now() + RULE_SET_WAIT_MS)).instanceId;
      instances.push([id, trends.name]);
    }
    const target = await lastStoredPosition(sql, store);
    const processors = instances.map(([id, name]) => engine.run(id, name));
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    // A processor waiting for a lease another process holds (a server projecting these itself) never catches
    // up here: the deadline bounds the wait, and that server keeps the read models current anyway.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
      timer.unref?.();
    });
    await Promise.race([Promise.all(processors.map((p) => p.whenCaughtUp())), timeout]);
    clearTimeout(timer);
    // On PostgreSQL an event becomes readable only once every transaction older than it has ended (anywhere on
    // the server): keep the processors running until their checkpoints pass what was stored when we began.
    while (target && Date.now() < deadline) {
      const behind = await Promise.all(instances.map(([id]) => checkpointBefore(sql, id, target)));
      if (!behind.some(Boolean)) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await engine.stop();
  }
}
