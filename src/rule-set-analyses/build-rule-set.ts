/**
 * Builds a rule set's projections beside the existing ones: every registered projection whose rules the rule set
 * changes (e.g. trends) gets an instance under the rule set, projected from the start; the default instances
 * keep answering. The experiment analysis itself reads the
 * rule-independent inputs (`change-timeline`, `experiment-outcomes`) and applies the rule set's parameters.
 */
import { resolveRules, type AnyProjection, type RuleValues } from '../../projections/machinery/projection.js';
import type { ProjectionEngine } from '../projection-engine/projection-engine.js';
import type { InstanceStatus } from '../projection-engine/status/status.js';
import { UnknownRuleSetError } from '../projection-engine/instances/rule-sets.js';

/**
 * The projections whose rules this rule set changes (all with rules when the parameters are not given): only
 * those need an instance of their own; a rule set changing only experiment parameters needs no event pass.
 */
export function ruleDependentProjections(projections: readonly AnyProjection[], parameters?: RuleValues): AnyProjection[] {
  return projections.filter((p) => {
    if (Object.keys(p.defaultRules).length === 0) return false;
    if (!parameters) return true;
    return JSON.stringify(resolveRules(p, parameters)) !== JSON.stringify(resolveRules(p, undefined));
  });
}

export interface RuleSetBuild {
  ruleSetId: string;
  instances: { name: string; instanceId: string }[];
}

/** Creates (or reuses) the rule set's instances. A rule set appended a moment ago may take a moment to be readable. */
export async function startRuleSetBuild(
  engine: ProjectionEngine,
  ruleSetId: string,
  parameters?: RuleValues,
  waitMs = 20_000,
): Promise<RuleSetBuild> {
  await engine.prepare();
  const instances: RuleSetBuild['instances'] = [];
  const deadline = Date.now() + waitMs;
  for (const projection of ruleDependentProjections(engine.definitions(), parameters)) {
    const existing = await engine.currentInstanceId(projection.name, ruleSetId);
    if (existing) {
      instances.push({ name: projection.name, instanceId: existing });
      continue;
    }
    for (;;) {
      try {
        const created = await engine.rebuild(projection.name, ruleSetId);
        instances.push({ name: projection.name, instanceId: created.instanceId });
        break;
      } catch (error) {
        if (!(error instanceof UnknownRuleSetError) || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
  return { ruleSetId, instances };
}

/** Runs the build's instances in this process until each is current and live (or one fails), reporting progress. */
export async function runRuleSetBuild(
  engine: ProjectionEngine,
  build: RuleSetBuild,
  onProgress: (statuses: InstanceStatus[]) => void,
  pollMs = 500,
): Promise<{ failed: InstanceStatus[] }> {
  const running = new Set(engine.runningProcessors().keys());
  for (const { name, instanceId } of build.instances) if (!running.has(instanceId)) engine.run(instanceId, name);
  const ids = new Set(build.instances.map((i) => i.instanceId));
  for (;;) {
    const statuses = (await engine.status()).filter((s) => ids.has(s.instanceId));
    onProgress(statuses);
    const failed = statuses.filter((s) => s.state === 'failed');
    if (failed.length > 0) return { failed };
    if (statuses.length === ids.size && statuses.every((s) => s.current && s.state === 'live')) return { failed: [] };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
