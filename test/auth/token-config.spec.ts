import { hashToken, generateToken, formatTokenEntry, TOKEN_PREFIX } from '../../src/auth/token-hash.js';
import { parseTokenEntries, TokenConfigError } from '../../src/auth/token-config.js';
import { loadTokenRegistry } from '../../src/auth/load-token-registry.js';
import { TokenRegistry } from '../../src/auth/token-registry.js';

const HASH_A = hashToken('secret-a');
const HASH_B = hashToken('secret-b');

describe('token hashing', () => {
  it('hashes with SHA-256 as lower-case hex (known vector)', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('generates distinct prefixed 256-bit tokens', () => {
    const a = generateToken();
    const b = generateToken();
    expect(a).not.toBe(b);
    expect(a.startsWith(TOKEN_PREFIX)).toBe(true);
    expect(Buffer.from(a.slice(TOKEN_PREFIX.length), 'base64url')).toHaveLength(32);
  });

  it('formats the entry the parser reads back', () => {
    const line = formatTokenEntry('ci', ['read', 'write'], HASH_A);
    expect(line).toBe(`ci:read,write:${HASH_A}`);
    const [token] = parseTokenEntries(line, 'test');
    expect(token).toEqual({ name: 'ci', scopes: new Set(['read', 'write']), hashHex: HASH_A });
  });
});

describe('parseTokenEntries', () => {
  it('reads entries separated by ; spaces and lines, ignoring comments', () => {
    const tokens = parseTokenEntries(`ci:write:${HASH_A}; # the CI runner\n  dash:read:${HASH_B.toUpperCase()}\n`, 'x');
    expect(tokens.map((t) => [t.name, [...t.scopes], t.hashHex])).toEqual([
      ['ci', ['write'], HASH_A],
      ['dash', ['read'], HASH_B],
    ]);
  });

  it('lists every problem without echoing any hash', () => {
    const badHash = 'f'.repeat(63);
    let error: unknown;
    try {
      parseTokenEntries(`a:write ci:admin:${HASH_A} ci:read:${badHash} x:write:${HASH_B}`, 'LESSONLOOP_API_TOKENS');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TokenConfigError);
    const problems = (error as TokenConfigError).problems;
    expect(problems).toEqual([
      expect.stringContaining('entry 1: expected name:scopes:sha256hex'),
      expect.stringContaining('entry 2 (ci): unknown scope(s) admin'),
      expect.stringContaining('entry 3 (ci): the third part must be'),
      expect.stringContaining('token name ci is configured twice'),
    ]);
    expect((error as Error).message).not.toContain(HASH_A);
    expect((error as Error).message).not.toContain(badHash);
  });
});

describe('loadTokenRegistry', () => {
  it('combines the setting and the file', () => {
    const registry = loadTokenRegistry(
      { LESSONLOOP_API_TOKENS: `a:write:${HASH_A}`, LESSONLOOP_API_TOKENS_FILE: '/tokens', LESSONLOOP_REQUIRE_READ_TOKEN: true },
      (path) => (path === '/tokens' ? `# tokens\nb:read:${HASH_B}\n` : ''),
    );
    expect(registry.authenticate('secret-a')?.name).toBe('a');
    expect(registry.authenticate('secret-b')?.name).toBe('b');
    expect(registry.readRequiresToken).toBe(true);
  });

  it('refuses an unreadable file and a name configured in both places', () => {
    const missing = () => {
      throw new Error('ENOENT');
    };
    expect(() => loadTokenRegistry({ LESSONLOOP_API_TOKENS_FILE: '/nope', LESSONLOOP_REQUIRE_READ_TOKEN: false }, missing)).toThrow(
      /LESSONLOOP_API_TOKENS_FILE: cannot read \/nope: ENOENT/,
    );
    expect(() =>
      loadTokenRegistry(
        { LESSONLOOP_API_TOKENS: `a:write:${HASH_A}`, LESSONLOOP_API_TOKENS_FILE: '/t', LESSONLOOP_REQUIRE_READ_TOKEN: false },
        () => `a:read:${HASH_B}`,
      ),
    ).toThrow(/token name a is configured twice/);
  });

  it('is empty when nothing is configured', () => {
    expect(loadTokenRegistry({ LESSONLOOP_REQUIRE_READ_TOKEN: false }).isEmpty).toBe(true);
  });
});

describe('TokenRegistry.authenticate', () => {
  const registry = new TokenRegistry(parseTokenEntries(`a:write:${HASH_A} b:read:${HASH_B}`, 't'));

  it('recognises a configured token by its hash and returns its scopes', () => {
    expect(registry.authenticate('secret-b')).toEqual({ name: 'b', scopes: new Set(['read']) });
  });

  it('rejects unknown tokens, prefixes and the hash itself', () => {
    expect(registry.authenticate('secret-')).toBeNull();
    expect(registry.authenticate('')).toBeNull();
    expect(registry.authenticate(HASH_A)).toBeNull();
  });
});
