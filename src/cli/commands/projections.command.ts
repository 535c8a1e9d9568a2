import type { INestApplicationContext } from '@nestjs/common';
import type { Command } from 'commander';
import { formatStatusTable } from '../../projection-engine/cli/format-status.js';
import { progressView } from '../../projection-engine/cli/rebuild-progress.js';
import { runRebuild } from '../../projection-engine/cli/run-rebuild.js';
import { toHttpError } from '../../projection-engine/http/http-errors.js';
import { ProjectionEngine } from '../../projection-engine/projection-engine.js';
import { withAppContext } from '../support/app-context.js';
import { checkArgument, checkArguments } from '../support/argument-limits.js';
import { CliError } from '../support/known-errors.js';
import { remoteDrop, remoteRebuild, remoteRetry, remoteSkip, remoteStatus } from '../transport/remote-projections.js';
import { ServerClient } from '../transport/server-client.js';
import { serverTarget } from '../transport/server-target.js';

export interface ProjectionsCommandDeps {
  stdout: NodeJS.WriteStream;
  withContext: <T>(fn: (app: INestApplicationContext) => Promise<T>) => Promise<T>;
}

/** The engine's known errors (unknown projection/instance, dropping the current one, bad rule set) as one line. */
async function asCliErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const mapped = toHttpError(error);
    if (mapped !== error) throw new CliError((error as Error).message, 2);
    throw error;
  }
}

/**
 * `lessonloop projections status|rebuild|drop|retry|skip`. These commands do not start the processors of every
 * projection (the server does); `rebuild` projects the new instance itself while it waits for it.
 */
export function register(
  program: Command,
  deps: ProjectionsCommandDeps = { stdout: process.stdout, withContext: (fn) => withAppContext(fn) },
): void {
  const projections = program.command('projections').description('read-model projections: status, rebuilds, dropping old instances');
  const withEngine = <T>(fn: (engine: ProjectionEngine) => Promise<T>) =>
    deps.withContext((app) => asCliErrors(() => fn(app.get(ProjectionEngine))));

  projections
    .command('status')
    .description('every instance: state, position, lag (events, time), events/s, progress, errors')
    .option('--json', 'print the statuses as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const server = await serverTarget(command);
      const statuses = server ? await remoteStatus(new ServerClient(server)) : await withEngine((engine) => engine.status());
      deps.stdout.write(options.json ? `${JSON.stringify(statuses, null, 2)}\n` : `${formatStatusTable(statuses)}\n`);
    });

  projections
    .command('rebuild')
    .description(
      'build a new instance from position 0 beside the current one (which keeps answering queries) and switch to ' +
        'it when it has caught up; the old instance is kept until `projections drop`',
    )
    .argument('<name>', 'the projection')
    .option('--rule-set <id>', 'build it under this rule set (RuleSetDefined) instead of the default rules')
    .option('--no-wait', 'create the instance and return; the server projects it')
    .action(async (name: string, options: { ruleSet?: string; wait: boolean }, command: Command) => {
      checkArguments([['<name>', name, 'name'], ['--rule-set', options.ruleSet, 'identifier']]);
      const server = await serverTarget(command);
      if (server) {
        deps.stdout.write(`${await remoteRebuild(new ServerClient(server), name, options.ruleSet, options.wait, progressView(deps.stdout))}\n`);
        return;
      }
      await withEngine(async (engine) => {
        if (!options.wait) {
          await engine.prepare();
          const instance = await engine.rebuild(name, options.ruleSet ?? null);
          deps.stdout.write(`Created ${instance.instanceId}; it becomes current once it has caught up (see projections status).\n`);
          return;
        }
        const previous = await engine.currentInstanceId(name, options.ruleSet ?? null);
        const outcome = await runRebuild(engine, name, options.ruleSet ?? null, progressView(deps.stdout));
        if (outcome.failed) {
          const error = outcome.status?.error;
          throw new CliError(
            `${outcome.instance.instanceId} stopped at event ${error?.eventId} (${error?.eventType}, global position ` +
              `${error?.globalPosition}): ${error?.message}. ${previous ?? 'The previous instance'} stays current.`,
          );
        }
        deps.stdout.write(
          `${outcome.instance.instanceId} is now current${previous ? `; ${previous} is retired (drop it with: lessonloop projections drop ${previous})` : ''}.\n`,
        );
      });
    });

  projections
    .command('drop')
    .description('delete an instance that is not current: its rows, checkpoint and lease')
    .argument('<instance>', 'instance id, e.g. outcome-counts.v1.g1')
    .action(async (instanceId: string, _options: unknown, command: Command) => {
      checkArgument('<instance>', instanceId, 'identifier');
      const server = await serverTarget(command);
      if (server) await remoteDrop(new ServerClient(server), instanceId);
      else await withEngine((engine) => engine.drop(instanceId));
      deps.stdout.write(`Dropped ${instanceId}.\n`);
    });

  projections
    .command('retry')
    .description('retry a failed instance at the event it stopped at (its processor resumes within seconds)')
    .argument('<instance>', 'instance id')
    .action(async (instanceId: string, _options: unknown, command: Command) => {
      checkArgument('<instance>', instanceId, 'identifier');
      const server = await serverTarget(command);
      const retrying = server ? await remoteRetry(new ServerClient(server), instanceId) : await withEngine((engine) => engine.retry(instanceId));
      deps.stdout.write(retrying ? `Asked ${instanceId} to retry.\n` : `${instanceId} has not failed; nothing to retry.\n`);
    });

  projections
    .command('skip')
    .description(
      'let a failed instance pass over the event it stopped at (the database refuses what it produces): recorded as a ' +
        'ProjectionEventSkipped event with your reason, shown by projections status',
    )
    .argument('<instance>', 'instance id')
    .requiredOption('--event <id>', 'the id of the event the instance stopped at (projections status shows it)')
    .requiredOption('--reason <text>', 'why it is skipped, kept with the skip')
    .action(async (instanceId: string, options: { event: string; reason: string }, command: Command) => {
      checkArguments([['<instance>', instanceId, 'identifier'], ['--event', options.event, 'identifier'], ['--reason', options.reason, 'text']]);
      const server = await serverTarget(command);
      const skip = server
        ? await remoteSkip(new ServerClient(server), instanceId, options.event, options.reason)
        : await withEngine((engine) => engine.skip(instanceId, options.event, options.reason, process.env.USER));
      deps.stdout.write(`${instanceId} passes over event ${skip.eventId} (${skip.eventType}); it resumes within seconds.\n`);
    });
}
