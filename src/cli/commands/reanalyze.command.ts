import type { INestApplicationContext } from '@nestjs/common';
import type { Command } from 'commander';
import type { ExperimentDifference } from '../../../projections/experiments/experiment-compare.js';
import type { RuleValues } from '../../../projections/machinery/projection.js';
import { SQL_CLIENT, type SqlClient } from '../../database/sql-client.js';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import { catchUpExperimentInputs } from '../../experiments/experiment-inputs.js';
import { ExperimentsService } from '../../experiments/experiments.service.js';
import { ProjectionEngine } from '../../projection-engine/projection-engine.js';
import type { InstanceStatus } from '../../projection-engine/status/status.js';
import { runRuleSetBuild, startRuleSetBuild } from '../../rule-set-analyses/build-rule-set.js';
import { RuleSetCompareService, type LifecycleComparison, type TrendComparison } from '../../rule-set-analyses/rule-set-compare.service.js';
import type { EffectComparison, EffectRow } from '../../rule-set-analyses/effect-compare.js';
import { RULE_FAMILIES } from '../../rule-set-families.js';
import { defineRuleSet } from '../../rule-sets/define-rule-set.js';
import { InvalidRuleSetError, RuleSetExistsError } from '../../rule-sets/rule-set-decider.js';
import { UnknownRuleSetError } from '../../projection-engine/instances/rule-sets.js';
import { withLessonNames } from '../../lessons/read-model/lesson-titles.js';
import { withAppContext } from '../support/app-context.js';
import { remoteCompare, remoteDefine } from '../transport/remote-reanalyze.js';
import { ServerClient } from '../transport/server-client.js';
import { serverTarget } from '../transport/server-target.js';
import { checkArguments } from '../support/argument-limits.js';
import { CliError } from '../support/known-errors.js';

export interface ReanalyzeCommandDeps {
  stdout: NodeJS.WritableStream;
  withContext: <T>(fn: (app: INestApplicationContext) => Promise<T>) => Promise<T>;
}

interface ReanalyzeOptions {
  compare?: string[];
  confoundWindow?: string;
  window?: string;
  confoundingKinds?: string;
  minBefore?: string;
  minAfter?: string;
  affected?: string;
  alpha?: string;
  name?: string;
  ruleSetId?: string;
  json?: boolean;
  param?: string[];
}

/** `48h`, `2d` or a bare number of hours. */
export function parseHours(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([hd]?)$/i.exec(text.trim());
  if (!match) throw new CliError(`Not a duration: "${text}" (use e.g. 48h or 2d)`, 2);
  return Number(match[1]) * (match[2]?.toLowerCase() === 'd' ? 24 : 1);
}

/** The arguments that become the RuleSetDefined event (or name rule sets), against contracts/limits.ts. */
export function checkReanalyzeArguments(options: ReanalyzeOptions): void {
  checkArguments([
    ['--compare', options.compare, 'identifier'],
    ['--name', options.name, 'name'],
    ['--rule-set-id', options.ruleSetId, 'identifier'],
    ['--confounding-kinds', options.confoundingKinds?.split(','), 'name'],
    ['--affected', options.affected, 'name'],
    ['--param', options.param?.map((entry) => entry.slice(0, Math.max(0, entry.indexOf('=')))), 'name'],
    ['--param', options.param?.map((entry) => entry.slice(entry.indexOf('=') + 1)), 'json'],
  ]);
}

export function parametersFrom(options: ReanalyzeOptions): RuleValues {
  const parameters: RuleValues = {};
  if (options.confoundWindow) parameters.confoundWindowHours = parseHours(options.confoundWindow);
  if (options.window) parameters.experimentWindowHours = parseHours(options.window);
  if (options.confoundingKinds) parameters.confoundingKinds = options.confoundingKinds.split(',').map((k) => k.trim()).filter(Boolean);
  if (options.minBefore) parameters.minCleanBefore = Number(options.minBefore);
  if (options.minAfter) parameters.minCleanAfter = Number(options.minAfter);
  if (options.affected) parameters.affectedTests = options.affected;
  if (options.alpha) parameters.significanceLevel = Number(options.alpha);
  for (const entry of options.param ?? []) {
    const at = entry.indexOf('=');
    if (at <= 0) throw new CliError(`--param takes name=value, got "${entry}"`, 2);
    const raw = entry.slice(at + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // a bare string
    }
    parameters[entry.slice(0, at)] = value;
  }
  return parameters;
}

function progressLine(statuses: InstanceStatus[]): string {
  return statuses
    .map((s) => `${s.name} ${s.state}${s.progress ? ` ${s.progress.percent.toFixed(0)}% (${s.progress.done}/${s.progress.total})` : ''}`)
    .join(', ');
}

export function formatDifferences(differences: readonly (ExperimentDifference & { lessonTitle?: string | null })[]): string {
  if (differences.length === 0) return 'No lesson change switches status, effect sign or significance, nor a model its confounding.\n';
  return differences
    .map((d) => `${d.at} ${d.lessonTitle ? `"${d.lessonTitle}" (${d.lessonId})` : d.lessonId} ${d.changeId}: ${d.reason}`)
    .join('\n')
    .concat('\n');
}

export function formatLifecycle(lifecycle: LifecycleComparison): string {
  if (lifecycle.differences.length === 0) return 'Lifecycle: the policy would archive, promote, expand and flag the same lessons on the same rewards.\n';
  return ['Lifecycle:', ...lifecycle.differences.map((d) => `  ${d.lessonId}: ${d.reason}`)].join('\n').concat('\n');
}

export function formatEffects(effects: EffectComparison): string {
  if (!effects.built) return ['Effects: not compared, not built:', ...effects.notBuilt.map((n) => `  ${n.ruleSetId}: ${n.build}`)].join('\n').concat('\n');
  const cell = (s: EffectRow['a']) => (s === null || s.effect === null ? '-' : `${s.effect.toFixed(3)} [${s.lower!.toFixed(3)}, ${s.upper!.toFixed(3)}] n ${s.n} q ${s.q === null ? '-' : s.q.toFixed(4)}`);
  const lines = effects.rows.map((r) => `  ${r.lessonId} ${r.method}: ${cell(r.a)} | ${cell(r.b)}${r.differs ? `  (${r.differs})` : ''}`);
  return [`Effects (a | b), ${effects.differences} differ:`, ...lines].join('\n').concat('\n');
}

export function formatTrends(trends: TrendComparison): string {
  if (!trends.built) return ['Trends: not compared, not built:', ...trends.notBuilt.map((n) => `  ${n.ruleSetId}: ${n.build}`)].join('\n').concat('\n');
  const source = (instance: string | null) => (instance === null ? 'default instance' : `instance of ${instance}`);
  const head = `Trends (${source(trends.instanceA)} vs ${source(trends.instanceB)}):`;
  if (trends.differences.length === 0) return `${head} every label agrees.\n`;
  return [head, ...trends.differences.map((d) => `  ${d.model} ${d.format} ${d.test}: ${d.labelA ?? 'absent'} -> ${d.labelB ?? 'absent'}`)].join('\n').concat('\n');
}

async function asCliErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof RuleSetExistsError || error instanceof InvalidRuleSetError || error instanceof UnknownRuleSetError) {
      throw new CliError(error.message, 2);
    }
    throw error;
  }
}

/**
 * `lessonloop reanalyze --confound-window 48h [--name ...]`: defines a rule set (RuleSetDefined), builds its
 * rule-dependent projections beside the existing ones (progress lines), and summarises the experiments under it.
 * `lessonloop reanalyze --compare a b`: what two rule sets (`default` = the default rules) conclude differently:
 * experiments, lifecycle decisions, trend labels.
 */
export function register(
  program: Command,
  deps: ReanalyzeCommandDeps = { stdout: process.stdout, withContext: (fn) => withAppContext(fn) },
): void {
  program
    .command('reanalyze')
    .description('define a rule set and re-analyse the lesson-change experiments under it, or compare two rule sets')
    .option('--compare <ruleSets...>', 'compare two rule sets: --compare a b (`default` for the default rules)')
    .option('--confound-window <duration>', 'e.g. 48h: another change this close confounds a lesson change')
    .option('--window <duration>', 'length of the before and of the after window, e.g. 72h')
    .option('--confounding-kinds <kinds>', 'comma-separated change kinds that confound (see GET /experiments rules)')
    .option('--min-before <n>', 'minimum clean outcomes on affected tests before the change')
    .option('--min-after <n>', 'minimum clean outcomes on affected tests after the change')
    .option('--affected <mode>', 'keywords | all: which tests a lesson affects')
    .option('--alpha <p>', 'significance level')
    .option('--name <name>', 'the rule set name (default: reanalyze)')
    .option('--rule-set-id <id>', 'the new rule set id (default: derived from name and parameters)')
    .option('--param <name=value...>', 'any other rule parameter (JSON value), e.g. trend rules: --param window=30')
    .option('--json', 'print JSON')
    .action(async (options: ReanalyzeOptions, command: Command) => {
      checkReanalyzeArguments(options);
      const server = await serverTarget(command);
      if (server) {
        await reanalyzeOnServer(new ServerClient(server), options, deps.stdout);
        return;
      }
      await deps.withContext((app) =>
        asCliErrors(async () => {
          const sql = app.get<SqlClient>(SQL_CLIENT);
          const store = app.get<EventStore>(EVENT_STORE);
          const service = app.get(ExperimentsService);
          if (options.compare) {
            if (options.compare.length !== 2) throw new CliError('--compare takes two rule set ids: --compare a b', 2);
            await catchUpExperimentInputs(sql, store);
            const compared = await app.get(RuleSetCompareService).compare(options.compare[0]!, options.compare[1]!);
            writeComparison({ ...compared, differences: await withLessonNames(sql, compared.differences) }, options, deps.stdout);
            return;
          }
          const parameters = parametersFrom(options);
          if (Object.keys(parameters).length === 0) throw new CliError('Give at least one rule parameter (e.g. --confound-window 48h) or --compare a b', 2);
          const ruleSet = await defineRuleSet(store, RULE_FAMILIES, {
            name: options.name ?? 'reanalyze',
            parameters,
            ...(options.ruleSetId ? { ruleSetId: options.ruleSetId } : {}),
          }, 'cli');
          deps.stdout.write(`Defined rule set ${ruleSet.ruleSetId} ${JSON.stringify(ruleSet.parameters)}\n`);
          const engine = app.get(ProjectionEngine);
          const build = await startRuleSetBuild(engine, ruleSet.ruleSetId, ruleSet.parameters);
          if (build.instances.length === 0) deps.stdout.write('No projection\'s rules change under it: nothing to rebuild from the events.\n');
          let last = 0;
          const { failed } = await runRuleSetBuild(engine, build, (statuses) => {
            if (statuses.length === 0) return;
            if (Date.now() - last < 2000 && !statuses.every((s) => s.current && s.state === 'live')) return;
            last = Date.now();
            deps.stdout.write(`building: ${progressLine(statuses)}\n`);
          });
          if (failed.length > 0) throw new CliError(`Build failed: ${failed.map((s) => `${s.instanceId}: ${s.error?.message}`).join('; ')}`);
          await catchUpExperimentInputs(sql, store);
          const analysis = await service.analysis(ruleSet.ruleSetId);
          const counts: Record<string, number> = {};
          for (const e of analysis.experiments) counts[e.status] = (counts[e.status] ?? 0) + 1;
          if (options.json) deps.stdout.write(`${JSON.stringify({ ruleSet, instances: build.instances, counts }, null, 2)}\n`);
          else {
            deps.stdout.write(`Experiments under ${ruleSet.ruleSetId}: ${JSON.stringify(counts)}\n`);
            deps.stdout.write(`Compare with: lessonloop reanalyze --compare default ${ruleSet.ruleSetId}\n`);
          }
        }),
      );
    });
}

type Comparison = Awaited<ReturnType<RuleSetCompareService['compare']>>;

function writeComparison(result: Comparison, options: ReanalyzeOptions, stdout: { write(text: string): unknown }): void {
  stdout.write(
    options.json
      ? `${JSON.stringify(result, null, 2)}\n`
      : `${result.a} -> ${result.b}: ${JSON.stringify(result.summary)}\n${formatDifferences(result.differences)}${formatLifecycle(result.lifecycle)}${formatTrends(result.trends)}${formatEffects(result.effects)}`,
  );
}

/** The same two jobs through a server's HTTP API (the server holds the store). */
async function reanalyzeOnServer(client: ServerClient, options: ReanalyzeOptions, stdout: { write(text: string): unknown }): Promise<void> {
  if (options.compare) {
    if (options.compare.length !== 2) throw new CliError('--compare takes two rule set ids: --compare a b', 2);
    writeComparison(await remoteCompare<Comparison>(client, options.compare[0]!, options.compare[1]!), options, stdout);
    return;
  }
  const parameters = parametersFrom(options);
  if (Object.keys(parameters).length === 0) throw new CliError('Give at least one rule parameter (e.g. --confound-window 48h) or --compare a b', 2);
  let last = 0;
  const defined = await remoteDefine(client, { name: options.name ?? 'reanalyze', parameters, ...(options.ruleSetId ? { ruleSetId: options.ruleSetId } : {}) }, (statuses) => {
    if (statuses.length === 0 || Date.now() - last < 2000) return;
    last = Date.now();
    stdout.write(`building: ${progressLine(statuses)}\n`);
  });
  if (options.json) stdout.write(`${JSON.stringify(defined, null, 2)}\n`);
  else {
    stdout.write(`Defined rule set ${defined.ruleSet.ruleSetId} ${JSON.stringify(defined.ruleSet.parameters)}\n`);
    if (defined.instances.length === 0) stdout.write('No projection\'s rules change under it: nothing to rebuild from the events.\n');
    stdout.write(`Experiments under ${defined.ruleSet.ruleSetId}: ${JSON.stringify(defined.counts)}\n`);
    stdout.write(`Compare with: lessonloop reanalyze --compare default ${defined.ruleSet.ruleSetId}\n`);
  }
}
