/**
 * What `projections status`, `GET /projections` and `/metrics` report for each instance: position, lag in
 * events and seconds, state (catching-up, live, rebuilding with progress, failed with the error, retired),
 * rate, and which process holds it.
 */
import { comparePositions, START, type Position } from '../../../contracts/envelope.js';
import type { AnyProjection } from '../../../projections/machinery/projection.js';
import type { SqlExecutor } from '../../database/sql-client.js';
import type { EventStore } from '../../event-store/event-store.port.js';
import { DEFAULT_RULE_SET } from '../instances/instance-id.js';
import { listCurrentInstanceIds, listInstances, type InstanceRecord, type ProjectionFailure, type RetryState } from '../instances/instances.js';
import { liveLeases } from '../instances/lease.js';
import { readSkips, type RecordedSkip } from '../instances/skips.js';
import { listSegments } from '../instances/segments.js';
import { segmentsStatus, type SegmentsStatus } from './segment-status.js';

/** `relation-missing`: a table it needs is gone (a database recreated empty, a dropped read model); it retries. */
export type InstanceState = 'catching-up' | 'live' | 'rebuilding' | 'failed' | 'relation-missing' | 'retired';

export interface InstanceStatus {
  instanceId: string;
  name: string;
  version: number;
  /** null: the projection's default rules. */
  ruleSetId: string | null;
  generation: number;
  /** Answers queries for (name, rule set). */
  current: boolean;
  state: InstanceState;
  /** The last applied event's position (decimal strings), null before the first. */
  position: { commit: string; prepare: string } | null;
  globalPosition: string | null;
  eventsProcessed: number;
  /** Events stored after the position, and how long the oldest of them has waited (0 when none). null for retired. */
  lag: { events: number; seconds: number } | null;
  eventsPerSecond: number | null;
  /** While catching up or rebuilding: events done out of the total, percent, and the time left at the current rate. */
  progress: { done: number; total: number; percent: number; etaSeconds: number | null } | null;
  error: (ProjectionFailure & { failedAt: string | null; retryRequestedAt: string | null }) | null;
  /** Retrying after errors that are not the event's fault: attempts in a row, the last error, the next attempt. */
  retry: RetryState | null;
  /** Times it stopped at an event, and transient errors retried, since it was created. */
  failures: number;
  retries: number;
  /** Events an operator told it to pass over, with the reasons (`projections skip`). */
  skipped: RecordedSkip[];
  /** The process projecting it (lease holder), null when none holds a live lease. */
  processor: { owner: string; leaseExpiresAt: string } | null;
  /** Its segments and their holders, or why it is one segment. */
  segments: SegmentsStatus;
  rules: Record<string, unknown>;
  createdAt: string;
  caughtUpAt: string | null;
  updatedAt: string;
}

const RATE_FRESH_MS = 30_000;

function stateOf(instance: InstanceRecord): InstanceState {
  if (instance.phase === 'retired') return 'retired';
  if (instance.error) return 'failed';
  if (instance.retry?.cause === 'missing-relation') return 'relation-missing';
  return instance.phase;
}

export async function instanceStatuses(
  db: SqlExecutor,
  store: EventStore,
  options: { name?: string; now?: Date; definitions?: readonly AnyProjection[] } = {},
): Promise<InstanceStatus[]> {
  const now = options.now ?? new Date();
  const [instances, segments, current, leases, head, skips] = await Promise.all([
    listInstances(db, options.name),
    listSegments(db),
    listCurrentInstanceIds(db),
    liveLeases(db),
    store.headPosition(),
    readSkips(store),
  ]);
  // Lag per distinct checkpoint, and none to count for instances at the head (counting can be a scan).
  const lagByPosition = new Map<string, Promise<{ events: number; seconds: number }>>();
  const lagAfter = (checkpoint: Position, atStart: boolean) => {
    const id = `${checkpoint.commit}/${checkpoint.prepare}`;
    let lag = lagByPosition.get(id);
    if (!lag) {
      lag = (async () => {
        if (!head || (!atStart && comparePositions(checkpoint, head) >= 0)) return { events: 0, seconds: 0 };
        const after = atStart ? undefined : checkpoint;
        const events = await store.countAfter(after);
        if (events === 0) return { events, seconds: 0 };
        const [oldest] = await store.readAll({ ...(after ? { after } : {}), maxCount: 1 });
        return { events, seconds: oldest ? Math.max(0, (now.getTime() - oldest.recordedAt.getTime()) / 1000) : 0 };
      })();
      lagByPosition.set(id, lag);
    }
    return lag;
  };
  const statuses: InstanceStatus[] = [];
  for (const instance of instances) {
    const state = stateOf(instance);
    const atStart = comparePositions(instance.checkpoint, START) === 0;
    const lag: InstanceStatus['lag'] = state === 'retired' ? null : await lagAfter(instance.checkpoint, atStart);
    // The rate stored with the last commit; an instance that has committed nothing for a while is not moving.
    const recent = now.getTime() - instance.updatedAt.getTime() < RATE_FRESH_MS;
    const rate = recent ? instance.eventsPerSecond : 0;
    const showProgress = lag !== null && (state === 'rebuilding' || state === 'catching-up' || (state === 'failed' && lag.events > 0));
    const total = instance.eventsProcessed + (lag?.events ?? 0);
    const lease = leases.get(instance.instanceId);
    statuses.push({
      instanceId: instance.instanceId,
      name: instance.name,
      version: instance.version,
      ruleSetId: instance.ruleSetId === DEFAULT_RULE_SET ? null : instance.ruleSetId,
      generation: instance.generation,
      current: current.has(instance.instanceId),
      state,
      position: atStart
        ? null
        : { commit: instance.checkpoint.commit.toString(), prepare: instance.checkpoint.prepare.toString() },
      globalPosition: instance.lastGlobalPosition?.toString() ?? null,
      eventsProcessed: instance.eventsProcessed,
      lag,
      eventsPerSecond: rate,
      progress: showProgress
        ? {
            done: instance.eventsProcessed,
            total,
            percent: total === 0 ? 100 : Math.floor((instance.eventsProcessed / total) * 1000) / 10,
            etaSeconds: rate && rate > 0 ? Math.round(lag!.events / rate) : null,
          }
        : null,
      error: instance.error
        ? {
            ...instance.error,
            failedAt: instance.failedAt?.toISOString() ?? null,
            retryRequestedAt: instance.retryRequestedAt?.toISOString() ?? null,
          }
        : null,
      retry: instance.retry,
      failures: instance.failures,
      retries: instance.retries,
      skipped: skips.filter((skip) => skip.instanceId === instance.instanceId),
      processor: lease ? { owner: lease.owner, leaseExpiresAt: lease.expiresAt.toISOString() } : null,
      segments: segmentsStatus(
        instance.instanceId,
        options.definitions?.find((d) => d.name === instance.name && d.version === instance.version),
        segments.get(instance.instanceId),
        leases,
      ),
      rules: instance.rules,
      createdAt: instance.createdAt.toISOString(),
      caughtUpAt: instance.caughtUpAt?.toISOString() ?? null,
      updatedAt: instance.updatedAt.toISOString(),
    });
  }
  return statuses;
}
