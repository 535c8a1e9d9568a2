/**
 * Brings the eval read models up to date in this process and stops: a projection engine holding only the
 * `leaderboard`, `trends` and `test-history` projections runs their current instances (created on first use;
 * a `trends` instance for a rule set is rebuilt from the start when it does not exist yet) until each has
 * applied everything stored. Used by the CLI commands and the benchmark; a long-running server should have
 * the projection engine run EVAL_READ_MODEL_PROJECTIONS instead.
 */
import type { SqlClient } from '../database/sql-client.js';
import type { EventStore } from '../event-store/event-store.port.js';
import type { ProcessorOptions } from '../projection-engine/processor.js';
import { ProjectionEngine } from '../projection-engine/projection-engine.js';
import { storeRuleSetSource, type RuleSetSource } from '../projection-engine/rule-sets.js';
import { trends } from '../../projections/trends.js';
import { EVAL_READ_MODEL_PROJECTIONS } from './eval-read-model-projections.js';

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
    if (options.trendsRuleSet) {
      const id = (await engine.currentInstanceId(trends.name, options.trendsRuleSet)) ?? (await engine.rebuild(trends.name, options.trendsRuleSet)).instanceId;
      instances.push([id, trends.name]);
    }
    const processors = instances.map(([id, name]) => engine.run(id, name));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, options.timeoutMs ?? 60_000);
      timer.unref?.();
    });
    await Promise.race([Promise.all(processors.map((p) => p.whenCaughtUp())), timeout]);
    clearTimeout(timer);
  } finally {
    await engine.stop();
  }
}
