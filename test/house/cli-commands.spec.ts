/**
 * CLI commands share helpers through src/cli/support/, never through a sibling command file: a command file
 * holds one command, so reading one never means reading another.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const commandsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/cli/commands');

describe('CLI command files', () => {
  it('import no other command file (index.ts only lists them)', () => {
    const files = readdirSync(commandsDir).filter((name) => name.endsWith('.command.ts'));
    expect(files.length).toBeGreaterThan(5);
    const siblingImports = files.flatMap((name) => {
      const text = readFileSync(path.join(commandsDir, name), 'utf8');
      return [...text.matchAll(/from\s+['"]\.\/([^'"]+)['"]/g)].map((m) => `${name} imports ./${m[1]}`);
    });
    expect(siblingImports).toEqual([]);
  });
});
