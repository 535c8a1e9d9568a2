import type { EventStore } from '../../event-store/event-store.port.js';
import { importLessonHistory } from '../git/import-lesson-history.js';
import { importLessonDirectory } from './import-lesson-directory.js';
import type { LessonImportSummary } from './lesson-import-summary.js';

export interface LessonImportOptions {
  /** Replay the git history of the repository holding the folder. */
  git?: boolean;
  /** With git: the lessons folder inside the repository, relative to the folder given. */
  root?: string;
  prune?: boolean;
  actor?: string;
}

/**
 * `import lessons` as the CLI and POST /imports/lessons both run it: the folder as it is (appending what
 * changed since the ids already known), or with git the repository's history. GitError passes through.
 */
export async function runLessonImport(
  store: EventStore,
  knownLessonIds: () => Promise<readonly string[]>,
  dir: string,
  options: LessonImportOptions,
): Promise<LessonImportSummary> {
  if (options.git) return importLessonHistory(store, dir, options.root ? { root: options.root } : {});
  return importLessonDirectory(store, dir, {
    knownLessonIds: await knownLessonIds(),
    ...(options.prune ? { prune: true } : {}),
    ...(options.actor ? { actor: options.actor } : {}),
  });
}
