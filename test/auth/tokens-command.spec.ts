import { Command } from 'commander';
import { register } from '../../src/cli/commands/tokens.command.js';
import { CliError } from '../../src/cli/support/known-errors.js';
import { parseTokenEntries } from '../../src/auth/token-config.js';
import { TokenRegistry } from '../../src/auth/token-registry.js';
import { hashToken } from '../../src/auth/token-hash.js';

async function run(args: string[], stdin = ''): Promise<string> {
  let out = '';
  const program = new Command('lessonloop').exitOverride();
  register(program, { stdout: { write: (text: string) => (out += text) }, readStdin: async () => stdin });
  await program.parseAsync(['node', 'lessonloop', ...args]);
  return out;
}

describe('lessonloop tokens', () => {
  it('create prints a token and an entry that authenticates exactly that token', async () => {
    const out = await run(['tokens', 'create', 'ci', '--scopes', 'write']);
    const token = /^token: (\S+)$/m.exec(out)![1]!;
    const entry = /^entry: (\S+)$/m.exec(out)![1]!;
    expect(entry).toBe(`ci:write:${hashToken(token)}`);
    const registry = new TokenRegistry(parseTokenEntries(entry, 'test'));
    expect(registry.authenticate(token)).toEqual({ name: 'ci', scopes: new Set(['write']) });
    expect(registry.authenticate(`${token}x`)).toBeNull();
  });

  it('create defaults to read,write and never prints the same token twice', async () => {
    const a = await run(['tokens', 'create', 'a']);
    const b = await run(['tokens', 'create', 'a']);
    expect(a).toMatch(/^entry: a:read,write:[0-9a-f]{64}$/m);
    expect(/^token: (\S+)$/m.exec(a)![1]).not.toBe(/^token: (\S+)$/m.exec(b)![1]);
  });

  it('hash reads the token from stdin (one trailing newline dropped)', async () => {
    expect(await run(['tokens', 'hash', 'dash', '-s', 'read'], 'abc\n')).toBe(
      'dash:read:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n',
    );
  });

  it('refuses unknown scopes, bad names and an empty stdin with a CliError', async () => {
    await expect(run(['tokens', 'create', 'ci', '--scopes', 'admin'])).rejects.toThrow(CliError);
    await expect(run(['tokens', 'create', 'bad name'])).rejects.toThrow(/token name "bad name"/);
    await expect(run(['tokens', 'hash', 'ci'], '\n')).rejects.toThrow(/pipe the token on stdin/);
  });
});
