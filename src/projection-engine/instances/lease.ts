/**
 * One active processor per instance across every process: a lease row with an expiry, taken with one
 * atomic upsert (free, expired, or already ours), renewed while projecting and checked again inside every
 * batch transaction (a fence: a processor whose lease was taken over cannot commit). A process that dies
 * stops renewing; another takes over once the lease expires. The same code on PostgreSQL and PGlite.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { SqlExecutor } from '../../database/sql-client.js';

export class LeaseLostError extends Error {
  constructor(readonly instanceId: string, readonly owner: string) {
    super(`Lease on projection instance ${instanceId} is no longer held by ${owner}`);
    this.name = 'LeaseLostError';
  }
}

export function newLeaseOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** Takes the lease if it is free, expired, or already ours. */
export async function tryAcquireLease(db: SqlExecutor, instanceId: string, owner: string, ttlMs: number): Promise<boolean> {
  const { rows } = await db.query<{ owner: string }>(
    `INSERT INTO projection_leases (instance_id, owner, acquired_at, expires_at)
     VALUES ($1, $2, clock_timestamp(), clock_timestamp() + $3 * interval '1 millisecond')
     ON CONFLICT (instance_id) DO UPDATE
       SET owner = EXCLUDED.owner, acquired_at = EXCLUDED.acquired_at, expires_at = EXCLUDED.expires_at
       WHERE projection_leases.owner = EXCLUDED.owner OR projection_leases.expires_at < clock_timestamp()
     RETURNING owner`,
    [instanceId, owner, ttlMs],
  );
  return rows[0]?.owner === owner;
}

/** Extends our lease; false when it is not ours any more (expired and taken, or dropped). */
export async function renewLease(db: SqlExecutor, instanceId: string, owner: string, ttlMs: number): Promise<boolean> {
  const result = await db.query(
    `UPDATE projection_leases SET expires_at = clock_timestamp() + $3 * interval '1 millisecond'
      WHERE instance_id = $1 AND owner = $2`,
    [instanceId, owner, ttlMs],
  );
  return result.rowCount === 1;
}

export async function releaseLease(db: SqlExecutor, instanceId: string, owner: string): Promise<void> {
  await db.query('DELETE FROM projection_leases WHERE instance_id = $1 AND owner = $2', [instanceId, owner]);
}

export interface LeaseHolder {
  owner: string;
  expiresAt: Date;
}

/** Who holds a live (unexpired) lease on each instance. */
export async function liveLeases(db: SqlExecutor): Promise<Map<string, LeaseHolder>> {
  const { rows } = await db.query<{ instance_id: string; owner: string; expires_at: Date }>(
    'SELECT instance_id, owner, expires_at FROM projection_leases WHERE expires_at >= clock_timestamp()',
  );
  return new Map(rows.map((r) => [r.instance_id, { owner: r.owner, expiresAt: r.expires_at }]));
}
