/**
 * How many segments of an instance this process may hold: its fair share, ceil(segments / live workers).
 * Each engine that projects segments is one worker: it says it is alive every quarter of a lease's lifetime
 * (projection_workers), and counts the workers seen within three quarters of it, so a dead worker has stopped
 * counting by the time its leases expire (the survivors' share has grown to take them over at once). A unit takes a free lease only while the process holds fewer than its share, and
 * gives one back when it holds more (a worker joined): processes started on one database share the segments.
 */
import type { Logger } from '@nestjs/common';
import type { SqlClient } from '../../database/sql-client.js';
import { newLeaseOwner } from '../instances/lease.js';

export class SegmentShare {
  readonly workerId = newLeaseOwner();
  private liveWorkers = 0;
  /** Heartbeats recorded: it takes segments from the second on, so processes started together see each other. */
  private beats = 0;
  private readonly held = new Map<string, Set<string>>();
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;

  constructor(
    private readonly sql: SqlClient,
    private readonly leaseTtlMs: number,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  /** Starts the heartbeat (idempotent); the share is 0 until the first one is recorded. */
  start(): void {
    if (this.timer) return;
    void this.heartbeat();
    this.timer = setInterval(() => void this.heartbeat(), Math.max(50, Math.floor(this.leaseTtlMs / 4)));
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    this.beats = 0;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.beating;
    await this.sql.query('DELETE FROM projection_workers WHERE worker_id = $1', [this.workerId]).catch(() => undefined);
    this.liveWorkers = 0;
  }

  workers(): number {
    return this.liveWorkers;
  }

  private heartbeat(): Promise<void> {
    this.beating ??= (async () => {
      try {
        const ttl = this.leaseTtlMs;
        const window = Math.floor((ttl * 3) / 4);
        await this.sql.query(
          `INSERT INTO projection_workers (worker_id, seen_at) VALUES ($1, clock_timestamp())
           ON CONFLICT (worker_id) DO UPDATE SET seen_at = EXCLUDED.seen_at`,
          [this.workerId],
        );
        const { rows } = await this.sql.query<{ n: string }>(
          `SELECT COUNT(*) AS n FROM projection_workers WHERE seen_at > clock_timestamp() - $1 * interval '1 millisecond'`,
          [window],
        );
        this.liveWorkers = Math.max(1, Number(rows[0]?.n ?? 1));
        this.beats++;
        await this.sql.query(`DELETE FROM projection_workers WHERE seen_at < clock_timestamp() - $1 * interval '1 millisecond'`, [ttl * 10]);
      } catch (error) {
        this.logger.warn(`could not record this worker: ${(error as Error).message}`);
      } finally {
        this.beating = undefined;
      }
    })();
    return this.beating;
  }

  private share(segments: number): number {
    return this.liveWorkers === 0 || this.beats < 2 ? 0 : Math.ceil(segments / this.liveWorkers);
  }

  /** Whether a unit of `instanceId` may take a free lease now. */
  mayTake(instanceId: string, segments: number): boolean {
    return (this.held.get(instanceId)?.size ?? 0) < this.share(segments);
  }

  took(instanceId: string, unitId: string): void {
    const units = this.held.get(instanceId) ?? new Set<string>();
    units.add(unitId);
    this.held.set(instanceId, units);
  }

  left(instanceId: string, unitId: string): void {
    this.held.get(instanceId)?.delete(unitId);
  }

  /** True (and counted as left) when this process holds more than its share and `unitId` is to give its lease back. */
  yieldOne(instanceId: string, unitId: string, segments: number): boolean {
    const units = this.held.get(instanceId);
    if (!units?.has(unitId) || units.size <= this.share(segments) || this.liveWorkers === 0) return false;
    units.delete(unitId);
    return true;
  }
}
