import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * A request's id: the caller's `x-request-id` when it sends a sane one, else a new UUID. Fastify assigns it
 * (http-adapter.ts) and puts it on the raw request before the request logger runs, which keeps it, so log
 * lines and the caller can be matched.
 */
export function requestIdOf(req: IncomingMessage): string {
  const value = req.headers['x-request-id'];
  const first = Array.isArray(value) ? value[0] : value;
  return first && first.length <= 200 ? first : randomUUID();
}

/** The path a request asked for, query excluded; `originalUrl` because middleware mounted under a path sees the rest. */
export function requestPath(req: IncomingMessage & { originalUrl?: string }): string {
  return (req.originalUrl ?? req.url ?? '').split('?')[0]!;
}
