/**
 * Process-wide metrics of the HTTP layer and of writes, added to each application's registry (/metrics) next to
 * the projection metrics: request durations by route and status, eval runs ingested, events appended.
 */
import { Counter, Histogram, type Registry } from 'prom-client';

export const httpRequestDuration = new Histogram({
  name: 'lessonloop_http_request_duration_seconds',
  help: 'HTTP request duration by method, matched route (`unmatched` for a 404 of no route) and status code',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [],
});

export const runsIngested = new Counter({
  name: 'lessonloop_ingest_runs_total',
  help: 'Eval runs offered for ingest, by source (http-json, http-csv, import) and result (recorded, already-recorded, rejected)',
  labelNames: ['source', 'result'] as const,
  registers: [],
});

export const eventsAppended = new Counter({
  name: 'lessonloop_events_appended_total',
  help: 'Events written to the event store (idempotent re-appends not counted)',
  registers: [],
});

export function registerAppMetrics(registry: Registry): void {
  registry.registerMetric(httpRequestDuration);
  registry.registerMetric(runsIngested);
  registry.registerMetric(eventsAppended);
}
