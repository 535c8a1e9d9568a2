import { stat } from 'node:fs/promises';
import type { INestApplicationContext } from '@nestjs/common';
import type { Command } from 'commander';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { SQL_CLIENT, type SqlClient } from '../../database/sql-client.js';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import { formatExposureImportSummary, importExposureFiles, type ExposureImportSummary } from '../../exposure-files/import-exposure-files.js';
import { withAppContext } from '../support/app-context.js';
import { CliError } from '../support/known-errors.js';
import { remoteImport } from '../transport/remote-imports.js';
import { ServerClient } from '../transport/server-client.js';
import { serverTarget } from '../transport/server-target.js';

export interface ExposureCommandDeps {
  stdout: NodeJS.WriteStream;
  withContext: <T>(fn: (app: INestApplicationContext) => Promise<T>) => Promise<T>;
}

/**
 * `lessonloop exposure import <dir>`: exposure for already-imported gptme runs, from each run's `lessons.jsonl`
 * and each outcome's log under LESSONLOOP_LOG_ROOT. Exits 1 when a run was rejected.
 */
export function register(program: Command, deps: ExposureCommandDeps = { stdout: process.stdout, withContext: (fn) => withAppContext(fn) }): void {
  const exposure = program.commands.find((c) => c.name() === 'exposure') ?? program.command('exposure').description('which lessons eval outcomes received');
  exposure
    .command('import')
    .description(
      'record exposure for the imported runs of a gptme eval_results/ tree: from lessons.jsonl beside each eval_results.csv, ' +
        'else from the # Relevant Lessons messages of each outcome log under LESSONLOOP_LOG_ROOT; importing again adds nothing',
    )
    .argument('<dir>', 'the eval_results directory')
    .option('--log-root <dir>', 'the log root (default: LESSONLOOP_LOG_ROOT)')
    .option('--cap <n>', "gptme's GPTME_LESSONS_MAX_INCLUDED in those runs", '5')
    .option('--run-holdout <runIds>', 'comma-separated runs that ran without some or all lessons (their withheld lessons are run-holdout)', '')
    .action(async (dir: string, o: { logRoot?: string; cap: string; runHoldout: string }, command: Command) => {
      const cap = Number(o.cap);
      if (!Number.isInteger(cap) || cap <= 0) throw new CliError(`--cap must be a positive integer, got ${o.cap}`, 2);
      if (!(await stat(dir).then((s) => s.isDirectory(), () => false))) throw new CliError(`${dir} is not a directory`, 2);
      const runHoldoutRuns = new Set(o.runHoldout.split(',').map((s) => s.trim()).filter(Boolean));
      const server = await serverTarget(command);
      if (server && o.logRoot) throw new CliError('--log-root: the server reads logs under its own LESSONLOOP_LOG_ROOT; leave --log-root out when a server runs the import', 2);
      const summary = server
        ? await remoteImport<ExposureImportSummary>(new ServerClient(server), 'exposure', dir, { cap, runHoldout: [...runHoldoutRuns] }, deps.stdout)
        : await deps.withContext(async (app) => {
        const logRoot = o.logRoot ?? app.get<AppConfig>(APP_CONFIG).LESSONLOOP_LOG_ROOT;
        try {
          return await importExposureFiles(app.get<EventStore>(EVENT_STORE), app.get<SqlClient>(SQL_CLIENT), dir, { logRoot, cap, runHoldoutRuns });
        } catch (error) {
          if (error instanceof Error && /LESSONLOOP_LOG_ROOT/.test(error.message)) throw new CliError(error.message, 2);
          throw error;
        }
      });
      deps.stdout.write(`${formatExposureImportSummary(summary)}\n`);
      if (summary.rejected.length > 0) throw new CliError(`${summary.rejected.length} run(s) rejected; nothing of them was written (reasons above)`);
    });
}
