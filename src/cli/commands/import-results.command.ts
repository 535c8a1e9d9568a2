import { stat } from 'node:fs/promises';
import type { INestApplicationContext } from '@nestjs/common';
import type { Command } from 'commander';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import { progressFor } from '../../ingest/import-progress.js';
import { DEFAULT_BATCH_EVENTS, formatImportSummary, importResults, type ImportSummary } from '../../ingest/import-results.js';
import { withAppContext } from '../support/app-context.js';
import { checkArgument } from '../support/argument-limits.js';
import { CliError } from '../support/known-errors.js';
import { remoteImport } from '../transport/remote-imports.js';
import { ServerClient } from '../transport/server-client.js';
import { serverTarget } from '../transport/server-target.js';

export interface ImportResultsCommandDeps {
  stdout: NodeJS.WriteStream;
  withContext: <T>(fn: (app: INestApplicationContext) => Promise<T>) => Promise<T>;
}

/**
 * `lessonloop import results <dir>`: imports a gptme `eval_results/` directory. Prints the summary; exits 1
 * when any run was rejected (the other runs are imported all the same).
 */
export function register(
  program: Command,
  deps: ImportResultsCommandDeps = { stdout: process.stdout, withContext: (fn) => withAppContext(fn) },
): void {
  const importCommand =
    program.commands.find((c) => c.name() === 'import') ?? program.command('import').description('import history into the event store');
  importCommand
    .command('results')
    .description(
      'import a gptme eval_results/ directory (one folder per run, YYYYMMDD_HHMMSSZ); each run is written whole or ' +
        'not at all, and importing again adds nothing',
    )
    .argument('<dir>', 'the eval_results directory')
    .option('--batch-events <n>', 'events per bulk append (whole runs only)', String(DEFAULT_BATCH_EVENTS))
    .action(async (dir: string, options: { batchEvents: string }, command: Command) => {
      const batchEvents = Number(options.batchEvents);
      if (!Number.isInteger(batchEvents) || batchEvents <= 0) throw new CliError(`--batch-events must be a positive integer, got ${options.batchEvents}`, 2);
      checkArgument('<dir>', dir, 'path');
      const isDirectory = await stat(dir).then((s) => s.isDirectory(), () => false);
      if (!isDirectory) throw new CliError(`${dir} is not a directory`, 2);

      const server = await serverTarget(command);
      const summary = server
        ? await remoteImport<ImportSummary>(new ServerClient(server), 'results', dir, { batchEvents }, deps.stdout)
        : await deps.withContext((app) => importResults(app.get<EventStore>(EVENT_STORE), dir, { batchEvents, progress: progressFor(deps.stdout) }));
      deps.stdout.write(`${formatImportSummary(summary)}\n`);
      if (summary.rejected.length > 0) {
        throw new CliError(`${summary.rejected.length} run(s) rejected; nothing of them was written (reasons above)`);
      }
    });
}
