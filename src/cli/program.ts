import { Command } from 'commander';
import * as commands from './commands/index.js';
import { packageVersion } from './package-version.js';

/**
 * The `lessonloop` command line with every registered command. Usage errors throw a CommanderError instead
 * of exiting and usage messages go to `stderr` (both set before the commands are added, so they inherit them);
 * runCli turns the error into the exit code.
 */
export function buildProgram(stderr: { write(text: string): unknown } = process.stderr): Command {
  const program = new Command('lessonloop')
    .description('Event-sourced backend for AI-agent eval results and prompt lessons')
    .version(packageVersion())
    .option('--server <url>', "send the command to this lessonloop server's HTTP API (default: LESSONLOOP_SERVER, or the server holding the data directory)")
    .showHelpAfterError()
    .configureOutput({ writeErr: (text) => void stderr.write(text) })
    .exitOverride();
  for (const command of Object.values(commands)) command.register(program);
  return program;
}
