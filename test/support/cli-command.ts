/**
 * Runs one registered `lessonloop` command in-process against an embedded database in a given data directory,
 * capturing what it prints; commander's exit becomes the returned error instead of ending the test process.
 */
import { Writable } from 'node:stream';
import type { INestApplicationContext } from '@nestjs/common';
import { Command } from 'commander';
import { withAppContext } from '../../src/cli/app-context.js';
import { loadAppConfig } from '../../src/config/app-config.js';

export interface CommandDeps {
  stdout: NodeJS.WriteStream;
  withContext: <T>(fn: (app: INestApplicationContext) => Promise<T>) => Promise<T>;
}

export function capturedStream() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join('') };
}

export async function runRegisteredCommand(
  register: (program: Command, deps: CommandDeps) => void,
  dataDir: string,
  argv: readonly string[],
): Promise<{ error: unknown; stdout: string }> {
  const out = capturedStream();
  const program = new Command('lessonloop').exitOverride();
  const config = loadAppConfig({ LESSONLOOP_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  register(program, { stdout: out.stream, withContext: (fn) => withAppContext(fn, config) });
  const error = await program.parseAsync(['node', 'lessonloop', ...argv]).then(() => undefined, (e: unknown) => e);
  return { error, stdout: out.text() };
}
