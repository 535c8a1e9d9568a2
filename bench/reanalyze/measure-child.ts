/**
 * The measured part, in its own process (its peak RSS is the measurement's): builds a new rule set's projections
 * from the events on PostgreSQL, i.e. the rule-dependent registered projections under the rule set plus the
 * experiment inputs rebuilt from position 0, then the experiment analysis under the rule set. Then the same for
 * a second rule set when the experiment inputs already exist (what `lessonloop reanalyze` does in practice).
 */
import { loadAppConfig } from '../../src/config/app-config.js';
import { openDatabase } from '../../src/database/open-database.js';
import { openEventStore } from '../../src/event-store/open-event-store.js';
import { EXPERIMENT_PROJECTIONS, loadExperimentInputs } from '../../src/experiments/experiment-inputs.js';
import { listInstances } from '../../src/projection-engine/instances/instances.js';
import { ProjectionEngine } from '../../src/projection-engine/projection-engine.js';
import { REGISTERED_PROJECTIONS } from '../../src/projection-engine/registered-projections.js';
import { storeRuleSetSource } from '../../src/projection-engine/instances/rule-sets.js';
import { runRuleSetBuild, startRuleSetBuild, type RuleSetBuild } from '../../src/rule-set-analyses/build-rule-set.js';
import { RULE_FAMILIES } from '../../src/rule-set-families.js';
import { defineRuleSet } from '../../src/rule-sets/define-rule-set.js';
import { analyzeExperiments } from '../../projections/experiments/experiment-windows.js';
import { experimentRules } from '../../projections/experiments/experiment-rules.js';
import { serveJob } from '../support/child-runner.js';
import { startRssSampler } from '../support/peak-rss.js';

export interface MeasureJob {
  url: string;
  /** How many times the from-the-events build is measured (a new rule set each time). */
  rounds: number;
  /** Also measure a rule set that changes trend rules (its trends instance is rebuilt from the events). */
  withTrends: boolean;
}

export interface PhaseResult {
  ruleSetId: string;
  seconds: number;
  buildSeconds: number;
  analysisSeconds: number;
  /** CPU time of this (node) process during the phase, user + system: steadier than wall time on a shared machine. */
  cpuSeconds: number;
  instances: string[];
  experiments: Record<string, number>;
  peakRssMb: number;
}

export interface MeasureResult {
  /** One per round. */
  fromEvents: PhaseResult[];
  inputsReused: PhaseResult;
  withTrends?: PhaseResult;
}

async function phase(engine: ProjectionEngine, store: Parameters<typeof defineRuleSet>[0], sql: Parameters<typeof loadExperimentInputs>[0], parameters: Record<string, unknown>, rebuildInputs: boolean): Promise<PhaseResult> {
  const ruleSetId = `bench-${Date.now().toString(36)}`;
  await defineRuleSet(store, RULE_FAMILIES, { ruleSetId, name: 'bench reanalyze', parameters });
  const rss = startRssSampler(100);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const build: RuleSetBuild = await startRuleSetBuild(engine, ruleSetId, parameters);
  if (rebuildInputs) {
    for (const projection of EXPERIMENT_PROJECTIONS) {
      const instance = await engine.rebuild(projection.name, null);
      build.instances.push({ name: projection.name, instanceId: instance.instanceId });
    }
  }
  let last = 0;
  const { failed } = await runRuleSetBuild(engine, build, (statuses) => {
    if (statuses.length === 0 || performance.now() - last < 5000) return;
    last = performance.now();
    console.error(`    ${statuses.map((s) => `${s.name} ${s.progress ? `${s.progress.percent.toFixed(0)}%` : s.state}`).join(', ')}`);
  }, 200);
  if (failed.length > 0) throw new Error(`build failed: ${failed.map((f) => f.error?.message).join('; ')}`);
  const built = performance.now();
  const inputs = await loadExperimentInputs(sql);
  const experiments = analyzeExperiments(inputs.timeline, inputs.buckets, experimentRules(parameters));
  const done = performance.now();
  const used = process.cpuUsage(cpu);
  const counts: Record<string, number> = {};
  for (const e of experiments) counts[e.status] = (counts[e.status] ?? 0) + 1;
  return {
    ruleSetId,
    seconds: (done - started) / 1000,
    buildSeconds: (built - started) / 1000,
    analysisSeconds: (done - built) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
    instances: build.instances.map((i) => i.instanceId),
    experiments: counts,
    peakRssMb: rss.stop(),
  };
}

/** Drops the instances earlier runs retired, so every round starts from the same tables (not timed). */
async function dropRetired(engine: ProjectionEngine): Promise<void> {
  for (const instance of await listInstances(engine.sql)) {
    if (instance.phase === 'retired') await engine.drop(instance.instanceId);
  }
}

serveJob<MeasureJob, MeasureResult>(async (job) => {
  const config = loadAppConfig({ DATABASE_URL: job.url, LOG_LEVEL: 'silent' });
  const sql = await openDatabase(config);
  const store = await openEventStore(config, sql);
  const engine = new ProjectionEngine({ sql, store, projections: REGISTERED_PROJECTIONS, ruleSets: storeRuleSetSource(store) });
  try {
    await engine.prepare();
    const fromEvents: PhaseResult[] = [];
    for (let round = 1; round <= job.rounds; round++) {
      await dropRetired(engine);
      console.error(`  a new rule set (confound window 48 h), experiment inputs rebuilt from the events (round ${round} of ${job.rounds})`);
      fromEvents.push(await phase(engine, store, sql, { confoundWindowHours: 48 }, true));
    }
    await dropRetired(engine);
    console.error('  a new rule set (confound window 72 h), experiment inputs already built');
    const inputsReused = await phase(engine, store, sql, { confoundWindowHours: 72, experimentWindowHours: 96 }, false);
    if (!job.withTrends) return { fromEvents, inputsReused };
    console.error('  a new rule set changing trend rules too (trends rebuilt under it)');
    const withTrends = await phase(engine, store, sql, { confoundWindowHours: 24, window: 30 }, false);
    return { fromEvents, inputsReused, withTrends };
  } finally {
    await engine.stop();
    await store.close();
    await sql.close();
  }
});
