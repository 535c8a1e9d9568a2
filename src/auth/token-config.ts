import { isScope, type Scope } from './scopes.js';

/** One configured token: only its hash is known to the app. */
export interface ConfiguredToken {
  name: string;
  scopes: ReadonlySet<Scope>;
  /** Lower-case hex SHA-256 of the token. */
  hashHex: string;
}

export class TokenConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid API token configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'TokenConfigError';
  }
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/**
 * Parses `name:scope,scope:sha256hex` entries separated by `;`, newlines or spaces; `#` starts a comment
 * that runs to the end of the line. `origin` names where the text came from in error messages.
 * Never echoes a hash back: a problem names the entry by its position and name only.
 */
export function parseTokenEntries(text: string, origin: string): ConfiguredToken[] {
  const entries = text
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .flatMap((line) => line.split(/[;\s]+/))
    .filter((entry) => entry !== '');
  const problems: string[] = [];
  const tokens: ConfiguredToken[] = [];
  entries.forEach((entry, index) => {
    const where = `${origin} entry ${index + 1}`;
    const parts = entry.split(':');
    if (parts.length !== 3) {
      problems.push(`${where}: expected name:scopes:sha256hex (3 parts separated by ':'), found ${parts.length} part(s)`);
      return;
    }
    const [name, scopeList, hashHex] = parts as [string, string, string];
    const label = `${where} (${NAME.test(name) ? name : 'unnamed'})`;
    if (!NAME.test(name)) problems.push(`${where}: name must be 1-64 of A-Z a-z 0-9 _ . - and start with a letter or digit`);
    const scopes = scopeList.split(',').filter((s) => s !== '');
    const unknown = scopes.filter((s) => !isScope(s));
    if (scopes.length === 0) problems.push(`${label}: no scopes (use read, write or read,write)`);
    if (unknown.length > 0) problems.push(`${label}: unknown scope(s) ${unknown.join(', ')} (known: read, write)`);
    if (!SHA256_HEX.test(hashHex)) {
      problems.push(`${label}: the third part must be the token's SHA-256 as 64 hex digits (lessonloop tokens hash)`);
    }
    tokens.push({ name, scopes: new Set(scopes.filter(isScope)), hashHex: hashHex.toLowerCase() });
  });
  const seen = new Set<string>();
  for (const token of tokens) {
    if (seen.has(token.name)) problems.push(`${origin}: token name ${token.name} is configured twice`);
    seen.add(token.name);
  }
  if (problems.length > 0) throw new TokenConfigError(problems);
  return tokens;
}
