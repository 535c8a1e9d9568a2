/**
 * Prometheus metrics of the projections, computed from their status at scrape time (so they are right
 * whichever process projects an instance): lag in events and seconds, events/s, events processed, state, and
 * the failures (stopped at an event) and transient retries counted on the instance.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ProjectionEngine } from '../projection-engine.js';
import type { InstanceState, InstanceStatus } from './status.js';

export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

const LABELS = ['instance', 'projection', 'rule_set', 'current'] as const;
const STATES: InstanceState[] = ['catching-up', 'live', 'rebuilding', 'failed', 'relation-missing', 'retired'];

function labelsOf(s: InstanceStatus) {
  return { instance: s.instanceId, projection: s.name, rule_set: s.ruleSetId ?? '', current: String(s.current) };
}

export function registerProjectionMetrics(registry: Registry, engine: ProjectionEngine, cacheMs = 1000): void {
  let cached: { at: number; statuses: Promise<InstanceStatus[]> } | undefined;
  const statuses = () => {
    const now = Date.now();
    if (!cached || now - cached.at > cacheMs) {
      cached = { at: now, statuses: engine.status().catch(() => []) };
    }
    return cached.statuses;
  };
  // Each metric is written afresh from the instances' status at every scrape.
  const perInstance =
    <M extends { reset(): void }>(write: (metric: M, s: InstanceStatus) => void) =>
    async function collect(this: M) {
      this.reset();
      for (const s of await statuses()) write(this, s);
    };
  const gauge = (name: string, help: string, value: (s: InstanceStatus) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: LABELS,
      registers: [registry],
      collect: perInstance<Gauge>((metric, s) => {
        const v = value(s);
        if (v !== null) metric.set(labelsOf(s), v);
      }),
    });
  gauge('lessonloop_projection_lag_events', 'Events stored after the instance checkpoint', (s) => s.lag?.events ?? null);
  gauge('lessonloop_projection_lag_seconds', 'How long the oldest event not yet applied has waited', (s) => s.lag?.seconds ?? null);
  gauge('lessonloop_projection_events_per_second', 'Events applied per second (recent window)', (s) => s.eventsPerSecond ?? 0);
  gauge('lessonloop_projection_events_processed', 'Events applied by the instance since it was created', (s) => s.eventsProcessed);
  // Counters kept on the instance row, so every process reports the same totals.
  const counter = (name: string, help: string, value: (s: InstanceStatus) => number) =>
    new Counter({
      name,
      help,
      labelNames: LABELS,
      registers: [registry],
      collect: perInstance<Counter>((metric, s) => metric.inc(labelsOf(s), value(s))),
    });
  counter('lessonloop_projection_failures_total', 'Times the instance stopped at an event the database or projection refused', (s) => s.failures);
  counter('lessonloop_projection_retries_total', 'Attempts retried after transient database errors', (s) => s.retries);
  new Gauge({
    name: 'lessonloop_projection_state',
    help: 'Instance state (1 for its current state)',
    labelNames: [...LABELS, 'state'],
    registers: [registry],
    collect: perInstance<Gauge>((metric, s) => {
      for (const state of STATES) metric.set({ ...labelsOf(s), state }, s.state === state ? 1 : 0);
    }),
  });
}
