/**
 * Command-line arguments that become event data (or name what a command looks up) are held to the limits of
 * contracts/limits.ts before the command opens the store: a usage error (exit code 2) naming the argument and
 * the limit, and no app context opened, so nothing can be written. A value exactly at the limit goes through.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { LIMITS } from '../../contracts/limits.js';
import * as commands from '../../src/cli/commands/index.js';
import { CliError } from '../../src/cli/support/known-errors.js';
import { runCli } from '../../src/cli/run-cli.js';

type Registrar = (program: Command, deps: { stdout: NodeJS.WriteStream; withContext: <T>(fn: () => Promise<T>) => Promise<T> }) => void;

class ContextOpened extends Error {}

/** Runs argv against one command registered with a context that records being opened instead of opening one. */
async function run(register: Registrar, argv: string[]): Promise<{ error: unknown; opened: boolean }> {
  let opened = false;
  const program = new Command('lessonloop').exitOverride().configureOutput({ writeErr: () => undefined });
  register(program, {
    stdout: { write: () => true } as unknown as NodeJS.WriteStream,
    withContext: () => {
      opened = true;
      throw new ContextOpened();
    },
  });
  try {
    await program.parseAsync(['node', 'lessonloop', ...argv]);
    return { error: undefined, opened };
  } catch (error) {
    return { error, opened };
  }
}

const over = (bytes: number) => 'é'.repeat(Math.floor(bytes / 2) + 1);
const atLimit = (bytes: number) => 'x'.repeat(bytes);

const r = (m: { register: unknown }) => m.register as Registrar;
/** [command, argv with VALUE where the argument goes, the argument's label, its limit in bytes]. */
const CASES: Array<[string, Registrar, (v: string) => string[], string, number]> = [
  ['projections skip <instance>', r(commands.projections), (v) => ['projections', 'skip', v, '--event', 'e', '--reason', 'r'], '<instance>', LIMITS.identifier],
  ['projections skip --event', r(commands.projections), (v) => ['projections', 'skip', 'i', '--event', v, '--reason', 'r'], '--event', LIMITS.identifier],
  ['projections skip --reason', r(commands.projections), (v) => ['projections', 'skip', 'i', '--event', 'e', '--reason', v], '--reason', LIMITS.text],
  ['projections rebuild --rule-set', r(commands.projections), (v) => ['projections', 'rebuild', 'trends', '--rule-set', v], '--rule-set', LIMITS.identifier],
  ['projections retry <instance>', r(commands.projections), (v) => ['projections', 'retry', v], '<instance>', LIMITS.identifier],
  ['import lessons --actor', r(commands.importLessons), (v) => ['import', 'lessons', '.', '--actor', v], '--actor', LIMITS.identifier],
  ['import lessons <dir>', r(commands.importLessons), (v) => ['import', 'lessons', v], '<dir>', LIMITS.path],
  ['import results <dir>', r(commands.importResults), (v) => ['import', 'results', v], '<dir>', LIMITS.path],
  ['reanalyze --name', r(commands.reanalyze), (v) => ['reanalyze', '--alpha', '0.1', '--name', v], '--name', LIMITS.name],
  ['reanalyze --rule-set-id', r(commands.reanalyze), (v) => ['reanalyze', '--alpha', '0.1', '--rule-set-id', v], '--rule-set-id', LIMITS.identifier],
  ['reanalyze --param value', r(commands.reanalyze), (v) => ['reanalyze', '--param', `p=${v}`], '--param', LIMITS.json],
  ['audit lesson <id>', r(commands.audit), (v) => ['audit', 'lesson', v], '<id>', LIMITS.identifier],
  ['effects --lesson', r(commands.effects), (v) => ['effects', '--lesson', v], '--lesson', LIMITS.identifier],
];

describe('CLI arguments within contracts/limits.ts', () => {
  it.each(CASES)('%s: over the limit is exit code 2 naming it, with no store opened', async (_name, register, argv, label, limit) => {
    const { error, opened } = await run(register, argv(over(limit)));
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).message).toMatch(new RegExp(`^${label.replace(/[<>-]/g, '\\$&')} must be at most ${limit} bytes of UTF-8 \\(is \\d+\\); nothing was written$`));
    expect(opened).toBe(false);
  });

  it.each(CASES)('%s: exactly at the limit passes the check', async (_name, register, argv, _label, limit) => {
    const { error } = await run(register, argv(atLimit(limit)));
    // Past the check: the command opens the store, or (a directory that is not there) says so first.
    expect(error instanceof ContextOpened || /is not a directory/.test((error as Error).message)).toBe(true);
  });

  it('refuses a control character in an identifier and names it', async () => {
    const { error, opened } = await run(r(commands.projections), ['projections', 'skip', 'i', '--event', 'ev\u001b[2J', '--reason', 'r']);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as CliError).message).toBe('--event must not contain control characters (U+001B at character 2); nothing was written');
    expect(opened).toBe(false);
  });

  it('through runCli: one line on stderr, exit code 2, and the data directory never created', async () => {
    const parent = await mkdtemp(path.join(os.tmpdir(), 'lessonloop-cli-limits-'));
    const dataDir = path.join(parent, 'data');
    const saved = { DATABASE_URL: process.env.DATABASE_URL, LESSONLOOP_DATA_DIR: process.env.LESSONLOOP_DATA_DIR };
    delete process.env.DATABASE_URL;
    process.env.LESSONLOOP_DATA_DIR = dataDir;
    const lines: string[] = [];
    try {
      const code = await runCli(['node', 'lessonloop', 'projections', 'skip', 'trends.v1.g1', '--event', 'e1', '--reason', over(LIMITS.text)], {
        write: (text: string) => lines.push(text),
      });
      expect(code).toBe(2);
      expect(lines.join('')).toMatch(/^lessonloop: --reason must be at most 4096 bytes of UTF-8 \(is \d+\); nothing was written\n$/);
      await expect(stat(dataDir)).rejects.toThrow(/ENOENT/);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await rm(parent, { recursive: true, force: true });
    }
  });
});
