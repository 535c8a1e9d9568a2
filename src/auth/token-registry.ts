import { timingSafeEqual } from 'node:crypto';
import type { ConfiguredToken } from './token-config.js';
import { hashToken } from './token-hash.js';
import type { Scope } from './scopes.js';

export interface AuthenticatedToken {
  name: string;
  scopes: ReadonlySet<Scope>;
}

/** The configured tokens and how to recognise a presented one. Holds hashes only. */
export class TokenRegistry {
  private readonly hashes: { token: ConfiguredToken; digest: Buffer }[];

  constructor(
    tokens: readonly ConfiguredToken[],
    /** GET endpoints marked as reads need the `read` scope too. */
    readonly readRequiresToken = false,
  ) {
    this.hashes = tokens.map((token) => ({ token, digest: Buffer.from(token.hashHex, 'hex') }));
  }

  get isEmpty(): boolean {
    return this.hashes.length === 0;
  }

  /**
   * Hashes the presented token and compares the digest with every configured one in constant time, without
   * stopping at a match, so neither the content nor the position of a match shows in the timing.
   */
  authenticate(presented: string): AuthenticatedToken | null {
    const digest = Buffer.from(hashToken(presented), 'hex');
    let found: ConfiguredToken | null = null;
    for (const candidate of this.hashes) {
      if (timingSafeEqual(digest, candidate.digest) && found === null) found = candidate.token;
    }
    return found === null ? null : { name: found.name, scopes: found.scopes };
  }
}
