import type { Command } from 'commander';
import { buildProgram } from '../../../src/cli/program.js';
import { cliMentionsOf, documentationFiles, readDoc } from './markdown-docs.js';

/** The command path `words` name: the words down the command tree while they name subcommands. */
export function resolveCommand(program: Command, words: readonly string[]): { path: string[]; problem?: string } {
  const found: string[] = [];
  let command = program;
  for (const word of words) {
    if (command.commands.length === 0) break; // the rest are the command's arguments
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!sub) return { path: found, problem: `no command '${[...found, word].join(' ')}'` };
    found.push(sub.name());
    command = sub;
  }
  if (command.commands.length > 0 && command !== program) {
    const hasAction = (command as unknown as { _actionHandler: unknown })._actionHandler != null;
    if (!hasAction) return { path: found, problem: `'${found.join(' ')}' needs a subcommand` };
  }
  return { path: found };
}

/** Every command mention of README.md, docs/ and bench/README.md, with the path it resolves to. */
export function documentedMentions(program: Command = buildProgram()) {
  return documentationFiles()
    .flatMap((file) => cliMentionsOf(readDoc(file)).map((words) => ({ file, words })))
    .map((m) => ({ ...m, ...resolveCommand(program, m.words) }));
}

/** The distinct command paths the documentation shows (`import results`, `trends`...), sorted. */
export function documentedCommandPaths(program: Command = buildProgram()): string[] {
  return [...new Set(documentedMentions(program).filter((r) => !r.problem).map((r) => r.path.join(' ')))].sort();
}
