/**
 * Runs registered `lessonloop` commands in-process, capturing what they print: against an embedded database in a
 * data directory (commander's exit becomes the returned error), or against an application the test already runs.
 */
import { Writable } from 'node:stream';
import type { INestApplicationContext } from '@nestjs/common';
import { Command } from 'commander';
import { withAppContext } from '../../src/cli/support/app-context.js';
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

/** The commands run against `app`; what they print is returned, a failure (or commander's exit) is thrown. */
export async function runCommandOnApp(
  registers: readonly ((program: Command, deps: CommandDeps) => void)[],
  app: INestApplicationContext,
  argv: readonly string[],
): Promise<string> {
  const out = capturedStream();
  const program = new Command('lessonloop').exitOverride();
  for (const register of registers) register(program, { stdout: out.stream, withContext: (fn) => fn(app) });
  await program.parseAsync(['node', 'lessonloop', ...argv]);
  return out.text();
}
