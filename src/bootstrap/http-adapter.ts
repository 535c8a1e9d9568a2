import { STATUS_CODES } from 'node:http';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply } from 'fastify';
import { requestIdOf } from '../logging/request-id.js';

/** A generated 99-test x 40-model run is ~2 MB of JSON; the CSV routes read their body themselves (read-text-body.ts). */
export const MAX_JSON_BODY_BYTES = 32 * 1024 * 1024;

/** Node's own default, which Fastify turns off: a client that sends its request slowly is cut off after it. */
const REQUEST_TIMEOUT_MS = 300_000;

/**
 * Fastify under Nest: a cached read costs a third of what it cost on Express (bench:read-models). Routing is kept
 * as forgiving as Express's was: `/leaderboard/` and `/Leaderboard` still match, and path parameters (test names)
 * may be long. Requests the router refuses itself (a malformed escape, a parameter over the limit) are answered
 * in Nest's `{statusCode, message, error}` shape, not with Fastify's error codes.
 */
export function createHttpAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: MAX_JSON_BODY_BYTES,
    genReqId: requestIdOf,
    requestTimeout: REQUEST_TIMEOUT_MS,
    routerOptions: { ignoreTrailingSlash: true, caseSensitive: false, maxParamLength: 2048 },
    frameworkErrors: (error: FastifyError, _request: unknown, reply: FastifyReply) => {
      const statusCode = error.statusCode ?? 400;
      reply.code(statusCode).send({ statusCode, message: error.message, error: STATUS_CODES[statusCode] ?? 'Error' });
    },
  });
}
