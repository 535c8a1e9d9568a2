import { stat } from 'node:fs/promises';
import type { INestApplicationContext } from '@nestjs/common';
import type { Command } from 'commander';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import { GitError } from '../../lessons/git/git-repository.js';
import { formatLessonImportSummary, type LessonImportSummary } from '../../lessons/import/lesson-import-summary.js';
import { runLessonImport } from '../../lessons/import/run-lesson-import.js';
import { LessonsReadModel } from '../../lessons/read-model/lessons.read-model.js';
import { withAppContext } from '../support/app-context.js';
import { checkArguments } from '../support/argument-limits.js';
import { CliError } from '../support/known-errors.js';
import { remoteImport } from '../transport/remote-imports.js';
import { ServerClient } from '../transport/server-client.js';
import { serverTarget } from '../transport/server-target.js';

export interface ImportLessonsCommandDeps {
  stdout: NodeJS.WriteStream;
  withContext: <T>(fn: (app: INestApplicationContext) => Promise<T>) => Promise<T>;
}

interface ImportLessonsOptions {
  git?: boolean;
  root?: string;
  prune?: boolean;
  actor?: string;
}

/**
 * `lessonloop import lessons <dir>`: imports gptme lesson files, appending only what changed since the last
 * import. `--git`: replays the repository's history instead (one set of events per commit). Prints the
 * summary; exits 1 when a file was rejected (the others are imported all the same).
 */
export function register(
  program: Command,
  deps: ImportLessonsCommandDeps = { stdout: process.stdout, withContext: (fn) => withAppContext(fn) },
): void {
  const importCommand =
    program.commands.find((c) => c.name() === 'import') ?? program.command('import').description('import history into the event store');
  importCommand
    .command('lessons')
    .description(
      'import a folder of gptme lesson files (*.md with YAML frontmatter): new files become lessons, edited files ' +
        'give edit/match/status events, importing again adds nothing. With --git, replay the repository history: ' +
        'every commit touching a lesson file gives its events (commit time, author, git:<sha>, subject as reason)',
    )
    .argument('<dir>', 'the lessons folder (with --git: a folder of the repository)')
    .option('--git', "replay the git history of the repository holding <dir>")
    .option('--root <folder>', 'with --git: the lessons folder inside the repository, relative to <dir> (default: <dir> itself)')
    .option('--prune', 'delete the lessons whose file is gone (only for a folder holding every lesson)')
    .option('--actor <name>', 'who imports (metadata.actor of the events; git uses each commit author)')
    .action(async (dir: string, options: ImportLessonsOptions, command: Command) => {
      checkArguments([['<dir>', dir, 'path'], ['--root', options.root, 'path'], ['--actor', options.actor, 'identifier']]);
      const isDirectory = await stat(dir).then((s) => s.isDirectory(), () => false);
      if (!isDirectory) throw new CliError(`${dir} is not a directory`, 2);
      if (options.git && options.prune) throw new CliError('--prune does not apply to --git (deletions come from the commits)', 2);
      if (!options.git && options.root) throw new CliError('--root only applies to --git', 2);

      const server = await serverTarget(command);
      const summary = server
        ? await remoteImport<LessonImportSummary>(new ServerClient(server), 'lessons', dir, { ...options }, deps.stdout)
        : await deps.withContext((app) => runImport(app, dir, options));
      deps.stdout.write(`${formatLessonImportSummary(summary)}\n`);
      if (summary.rejected.length > 0) {
        throw new CliError(`${summary.rejected.length} lesson file(s) rejected and skipped (reasons above)`);
      }
    });
}

async function runImport(app: INestApplicationContext, dir: string, options: ImportLessonsOptions): Promise<LessonImportSummary> {
  try {
    return await runLessonImport(app.get<EventStore>(EVENT_STORE), () => app.get(LessonsReadModel, { strict: false }).lessonIds(), dir, options);
  } catch (error) {
    if (error instanceof GitError) throw new CliError(error.message);
    throw error;
  }
}
