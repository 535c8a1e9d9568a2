import { CommanderError } from 'commander';
import { DataDirectoryLockedError } from '../database/database-errors.js';
import { CliError, isKnownError } from './support/known-errors.js';
import { buildProgram } from './program.js';

/** Most commands find a server holding the store by themselves (docs/cli.md); one that stopped at the lock did not. */
const LOCK_HINT = '; stop the server first (this command does not go through a running server), or give a server with --server <url>';

export interface CliOutput {
  write(text: string): unknown;
}

/**
 * Parses argv and runs the command. Returns the exit code instead of exiting, so it can be tested: 0 when the
 * command's action resolved (`serve` resolves once listening), commander's own code for usage errors and
 * --help, 1 for a failure. A known error (see known-errors.ts) is one clear message; anything else, a stack.
 */
export async function runCli(argv: string[] = process.argv, stderr: CliOutput = process.stderr): Promise<number> {
  const program = buildProgram(stderr);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode; // commander already printed it
    if (isKnownError(error)) {
      const hint = error instanceof DataDirectoryLockedError ? LOCK_HINT : '';
      stderr.write(`lessonloop: ${error.message}${hint}\n`);
      return error instanceof CliError ? error.exitCode : 1;
    }
    stderr.write(`lessonloop: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
