import type { IncomingMessage, ServerResponse } from 'node:http';
import { redactUrlSecrets } from './redaction.js';
import { requestPath } from './request-id.js';

/** Where http-route.ts leaves the matched route pattern (`/lessons/:id`) on the raw request for the log line. */
export const ROUTE_KEY = Symbol.for('lessonloop.route');

type RawRequest = IncomingMessage & { id?: unknown; originalUrl?: string; [ROUTE_KEY]?: string };

/** The route pattern Fastify matched, or the path when none matched (a 404). */
export function routeOf(req: RawRequest): string {
  return req[ROUTE_KEY] ?? requestPath(req);
}

/** A request line holds what identifies it and no headers: id, method, route, url (secrets blanked), status, duration. */
export const requestLineSerializers = {
  req: (req: RawRequest & { raw?: RawRequest }) => {
    const raw = req.raw ?? req;
    return { id: req.id ?? raw.id, method: req.method, route: routeOf(raw), url: redactUrlSecrets(raw.originalUrl ?? req.url ?? '') };
  },
  res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
};

export function requestMessage(req: RawRequest, res: ServerResponse, responseTime?: number): string {
  return `${req.method} ${routeOf(req)} ${res.statusCode}${responseTime === undefined ? '' : ` ${Math.round(responseTime)}ms`}`;
}
