import { FastifyAdapter } from '@nestjs/platform-fastify';
import { requestIdOf } from '../logging/request-id.js';

/** A generated 99-test x 40-model run is ~2 MB of JSON; the CSV routes read their body themselves (read-text-body.ts). */
export const MAX_JSON_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Fastify under Nest: a cached read costs a third of what it cost on Express (bench:read-models). Routing is kept
 * as forgiving as Express's was: `/leaderboard/` and `/Leaderboard` still match, and path parameters (test names)
 * may be long.
 */
export function createHttpAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: MAX_JSON_BODY_BYTES,
    genReqId: requestIdOf,
    routerOptions: { ignoreTrailingSlash: true, caseSensitive: false, maxParamLength: 2048 },
  });
}
