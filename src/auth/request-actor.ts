import type { AuthenticatedToken } from './token-registry.js';

/** A request the bearer guard has seen: `auth` is the token it accepted (absent on reads left open). */
export type AuthedRequest = { auth?: AuthenticatedToken };

/** Who made a request, as the events it causes record it (`token:<name>`); undefined when no token was sent. */
export const actorOf = (request: AuthedRequest): string | undefined => (request.auth ? `token:${request.auth.name}` : undefined);
