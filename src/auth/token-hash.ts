import { createHash, randomBytes } from 'node:crypto';
import type { Scope } from './scopes.js';

/** Prefix of generated tokens: recognisable in a leaked-secret scan, never part of the security. */
export const TOKEN_PREFIX = 'll_';

/**
 * Tokens are 256 random bits, so a plain SHA-256 is enough at rest: a slow password hash only helps against
 * guessing low-entropy secrets, which a generated token is not.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** The line to put into LESSONLOOP_API_TOKENS (or the tokens file): `name:scope,scope:sha256hex`. */
export function formatTokenEntry(name: string, scopes: readonly Scope[], hashHex: string): string {
  return `${name}:${scopes.join(',')}:${hashHex}`;
}
