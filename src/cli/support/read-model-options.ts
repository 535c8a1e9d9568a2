/**
 * What the read-model commands (`leaderboard`, `trends`) share: where they write and how they get an app
 * context (injectable for tests), the output format, usage errors, and bringing the read models up to date.
 */
import type { INestApplicationContext } from '@nestjs/common';
import { SQL_CLIENT, type SqlClient } from '../../database/sql-client.js';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import { catchUpEvalReadModels } from '../../eval-read-models/catch-up-eval-read-models.js';
import { withAppContext } from './app-context.js';
import { CliError } from './known-errors.js';

export interface ReadModelCommandDeps {
  stdout: NodeJS.WritableStream;
  withContext: <T>(fn: (app: INestApplicationContext) => Promise<T>) => Promise<T>;
}

export const defaultReadModelDeps: ReadModelCommandDeps = { stdout: process.stdout, withContext: (fn) => withAppContext(fn) };

export function outputFormat(value: string, allowed: readonly string[]): string {
  if (!allowed.includes(value)) throw new CliError(`--format must be one of ${allowed.join(', ')}, got ${value}`, 2);
  return value;
}

/** Unless `--no-catch-up`, projects the events not yet in the read models before the command answers. */
export async function upToDate(app: INestApplicationContext, catchUp: boolean, trendsRuleSet?: string): Promise<void> {
  if (!catchUp) return;
  await catchUpEvalReadModels(app.get<SqlClient>(SQL_CLIENT), app.get<EventStore>(EVENT_STORE), trendsRuleSet ? { trendsRuleSet } : {});
}

export function parsedOrUsageError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new CliError((error as Error).message, 2);
  }
}
