import { CommanderError } from 'commander';
import { CliError, isKnownError } from './support/known-errors.js';
import { buildProgram } from './program.js';

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
      stderr.write(`lessonloop: ${error.message}\n`);
      return error instanceof CliError ? error.exitCode : 1;
    }
    stderr.write(`lessonloop: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
