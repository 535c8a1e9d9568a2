import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { httpRequestDuration } from '../common/metrics/app-metrics.js';
import { ROUTE_KEY } from '../logging/request-line.js';

/**
 * Each request's matched route pattern goes on the raw request (the request log line names the route, not the
 * URL with its ids), and its duration into the HTTP histogram of /metrics.
 */
export function observeRequests(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    if (route) (request.raw as unknown as Record<symbol, string>)[ROUTE_KEY] = route;
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    httpRequestDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
}
