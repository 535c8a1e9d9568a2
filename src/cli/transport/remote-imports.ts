/** `lessonloop import results|lessons` and `exposure import` sent to a server: POST /imports/*, progress streamed back. */
import path from 'node:path';
import { progressFor, type ImportProgress, type ImportProgressState } from '../../ingest/import-progress.js';
import { CliError } from '../support/known-errors.js';
import type { ServerClient } from './server-client.js';

/**
 * Posts the import of `dir` (made absolute: the server reads the same path on its machine, under its import
 * root) and returns the summary the server sends last; progress lines drive the same bar or lines as a local import.
 */
export async function remoteImport<S>(
  client: ServerClient,
  kind: 'results' | 'lessons' | 'exposure',
  dir: string,
  options: Record<string, unknown>,
  stdout: NodeJS.WriteStream,
): Promise<S> {
  let progress: ImportProgress | undefined;
  let last: ImportProgressState | undefined;
  let summary: S | undefined;
  let failure: string | undefined;
  await client.stream(`/imports/${kind}`, { path: path.resolve(dir), ...options }, (line) => {
    if (line.progress) {
      last = line.progress as ImportProgressState;
      if (!progress) {
        progress = progressFor(stdout);
        progress.start(last.runsTotal);
      }
      progress.update(last);
    } else if ('summary' in line) summary = line.summary as S;
    else if ('error' in line) failure = String(line.error);
  });
  if (progress && last) progress.stop(last);
  if (failure !== undefined) throw new CliError(`the server at ${client.baseUrl} could not import ${dir}: ${failure}`);
  if (summary === undefined) throw new CliError(`the server at ${client.baseUrl} ended the import of ${dir} without a summary`);
  return summary;
}
