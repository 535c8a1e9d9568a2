/**
 * One NestJS convention in every module: `<module>/commands/<verb-noun>.command.ts` holds a command class and
 * its @CommandHandler, `<module>/queries/<verb-noun>.query.ts` a query class and its @QueryHandler, and a
 * command carries domain types: it never imports the module's HTTP request types (dto/, http/, *.schemas).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(process.cwd(), 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? files(full) : [path.relative(SRC, full).split(path.sep).join('/')];
  });
}

// src/cli/commands holds the command line's commands (commander), not CQRS commands.
const all = files(SRC).filter((file) => !file.startsWith('cli/'));
const read = (file: string) => readFileSync(path.join(SRC, file), 'utf8');
const importsOf = (text: string) => [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);

describe('commands and queries follow one convention', () => {
  const commandFiles = all.filter((file) => file.endsWith('.command.ts'));
  const queryFiles = all.filter((file) => file.endsWith('.query.ts'));

  it('finds the commands and queries of the modules', () => {
    expect(commandFiles.length).toBeGreaterThanOrEqual(6);
    expect(queryFiles.length).toBeGreaterThanOrEqual(10);
  });

  it('each lives in its module\'s commands/ or queries/ folder with its handler; no separate handler files', () => {
    const misplaced = [...commandFiles.filter((f) => !f.includes('/commands/')), ...queryFiles.filter((f) => !f.includes('/queries/'))];
    expect(misplaced).toEqual([]);
    expect(commandFiles.filter((f) => !/@CommandHandler\(/.test(read(f)))).toEqual([]);
    expect(queryFiles.filter((f) => !/@QueryHandler\(/.test(read(f)))).toEqual([]);
    expect(all.filter((f) => f.endsWith('.handler.ts') || f.endsWith('.queries.ts'))).toEqual([]);
  });

  it('commands import no HTTP request types', () => {
    const offenders = commandFiles.flatMap((file) =>
      importsOf(read(file))
        .filter((from) => /\/(dto|http)\/|\.schemas?\.js$|\.dto\.js$/.test(from))
        .map((from) => `${file} imports ${from}`),
    );
    expect(offenders).toEqual([]);
  });
});
