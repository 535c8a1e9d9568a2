import type { SqlExecutor } from '../../database/sql-client.js';
import type { ExpectedRevision } from '../event-store.port.js';

export interface RevisionRequest {
  streamId: string;
  /** How many events will be appended (> 0). */
  count: number;
  expected: ExpectedRevision;
}

export interface RevisionReservation {
  streamId: string;
  /** The stream's last revision before this append; -1 when the append creates it. */
  previousRevision: bigint;
}

export type ReservationOutcome =
  | { ok: true; reservations: Map<string, RevisionReservation> }
  | { ok: false; streamId: string; expected: ExpectedRevision; actual: bigint | 'no_stream' };

/**
 * Compare-and-set on the streams rows, in one statement for any number of streams: a new stream is inserted
 * with revision count-1; an existing one is moved forward by count only if its expectation holds. Existing
 * rows are locked (in stream_id order, so concurrent batches cannot deadlock) until the transaction ends,
 * which serializes writers of the same stream. A stream whose expectation fails returns no row.
 */
const reserveSql = `
INSERT INTO streams AS s (stream_id, revision)
SELECT r.stream_id, r.count - 1
  FROM unnest($1::text[], $2::bigint[]) AS r(stream_id, count)
 ORDER BY r.stream_id
ON CONFLICT (stream_id) DO UPDATE SET revision = s.revision + excluded.revision + 1
 WHERE EXISTS (
   SELECT 1 FROM unnest($1::text[], $3::text[], $4::bigint[]) AS e(stream_id, kind, revision)
    WHERE e.stream_id = s.stream_id
      AND (e.kind IN ('any', 'stream_exists') OR (e.kind = 'exact' AND e.revision = s.revision)))
RETURNING s.stream_id, s.revision`;

export async function reserveRevisions(sql: SqlExecutor, requests: RevisionRequest[]): Promise<ReservationOutcome> {
  const { rows } = await sql.query<{ stream_id: string; revision: string }>(reserveSql, [
    requests.map((r) => r.streamId),
    requests.map((r) => String(r.count)),
    requests.map((r) => (typeof r.expected === 'bigint' ? 'exact' : r.expected)),
    requests.map((r) => (typeof r.expected === 'bigint' ? r.expected.toString() : '-1')),
  ]);
  const after = new Map(rows.map((row) => [row.stream_id, BigInt(row.revision)]));
  const reservations = new Map<string, RevisionReservation>();
  for (const request of requests) {
    const revision = after.get(request.streamId);
    if (revision === undefined) {
      // The stream existed and its expectation failed: report what it holds now.
      return { ok: false, streamId: request.streamId, expected: request.expected, actual: await currentRevision(sql, request.streamId) };
    }
    const previousRevision = revision - BigInt(request.count);
    // An existing stream ends at >= count (its old revision was >= 0), a created one at count - 1.
    const created = previousRevision < 0n;
    if (created && (request.expected === 'stream_exists' || typeof request.expected === 'bigint')) {
      return { ok: false, streamId: request.streamId, expected: request.expected, actual: 'no_stream' };
    }
    reservations.set(request.streamId, { streamId: request.streamId, previousRevision });
  }
  return { ok: true, reservations };
}

export async function currentRevision(sql: SqlExecutor, streamId: string): Promise<bigint | 'no_stream'> {
  const { rows } = await sql.query<{ revision: string }>('SELECT revision FROM streams WHERE stream_id = $1', [streamId]);
  return rows[0] ? BigInt(rows[0].revision) : 'no_stream';
}

/** Whether a stream in the given state satisfies an expectation (for the checks made outside the CAS). */
export function satisfies(expected: ExpectedRevision, actual: bigint | 'no_stream'): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === 'no_stream';
  if (expected === 'stream_exists') return actual !== 'no_stream';
  return actual === expected;
}
