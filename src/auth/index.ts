export { AuthModule } from './auth.module.js';
export { RequiresScope, BEARER_SCHEME } from './requires-scope.decorator.js';
export type { AuthenticatedToken } from './token-registry.js';
export { TokenRegistry } from './token-registry.js';
export { hashToken, generateToken, formatTokenEntry } from './token-hash.js';
export { SCOPES, type Scope } from './scopes.js';
export { actorOf, type AuthedRequest } from './request-actor.js';
