import type { Command } from 'commander';
import { isScope, SCOPES, type Scope } from '../../auth/scopes.js';
import { formatTokenEntry, generateToken, hashToken } from '../../auth/token-hash.js';
import { CliError } from '../support/known-errors.js';

export interface TokensIo {
  stdout: { write(text: string): unknown };
  /** The whole of standard input (for `tokens hash`). */
  readStdin(): Promise<string>;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

const processIo: TokensIo = {
  stdout: process.stdout,
  async readStdin() {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    return Buffer.concat(chunks).toString('utf8');
  },
};

/**
 * `lessonloop tokens create <name>` mints a token and prints it once with its configuration entry;
 * `lessonloop tokens hash <name>` prints the entry for a token read from stdin (never from argv, where it
 * would be visible to other users in `ps` and kept in shell history). Neither needs the database.
 */
export function register(program: Command, io: TokensIo = processIo): void {
  const tokens = program.command('tokens').description('API tokens for the write (and optionally read) endpoints');

  tokens
    .command('create')
    .description('create a new random token; prints it (once) and the entry to add to LESSONLOOP_API_TOKENS')
    .argument('<name>', 'a name for the token (who or what uses it), e.g. ci')
    .option('-s, --scopes <scopes>', `comma-separated scopes: ${SCOPES.join(', ')}`, 'read,write')
    .action((name: string, options: { scopes: string }) => {
      const scopes = parseScopes(options.scopes);
      checkName(name);
      const token = generateToken();
      io.stdout.write(
        `token: ${token}\n` +
          `entry: ${formatTokenEntry(name, scopes, hashToken(token))}\n\n` +
          'Keep the token secret and give it to the client (Authorization: Bearer <token>); it is not stored anywhere.\n' +
          "Add the entry to LESSONLOOP_API_TOKENS (entries separated by ';') or as a line of the file named by\n" +
          'LESSONLOOP_API_TOKENS_FILE, then restart lessonloop.\n',
      );
    });

  tokens
    .command('hash')
    .description('print the LESSONLOOP_API_TOKENS entry for an existing token read from stdin')
    .argument('<name>', 'a name for the token')
    .option('-s, --scopes <scopes>', `comma-separated scopes: ${SCOPES.join(', ')}`, 'read,write')
    .action(async (name: string, options: { scopes: string }) => {
      const scopes = parseScopes(options.scopes);
      checkName(name);
      const token = (await io.readStdin()).replace(/\r?\n$/, '');
      if (token.trim() === '') throw new CliError('tokens hash: pipe the token on stdin, e.g. `printf %s "$TOKEN" | lessonloop tokens hash ci`');
      if (/\s/.test(token)) throw new CliError('tokens hash: the token must not contain whitespace (a bearer token cannot)');
      io.stdout.write(`${formatTokenEntry(name, scopes, hashToken(token))}\n`);
    });
}

function parseScopes(text: string): Scope[] {
  const scopes = [...new Set(text.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
  const unknown = scopes.filter((s) => !isScope(s));
  if (scopes.length === 0 || unknown.length > 0) {
    throw new CliError(`--scopes: use a comma-separated list of ${SCOPES.join(', ')} (got "${text}")`);
  }
  return scopes as Scope[];
}

function checkName(name: string): void {
  if (!NAME.test(name)) throw new CliError(`token name "${name}": use 1-64 of A-Z a-z 0-9 _ . - starting with a letter or digit`);
}
