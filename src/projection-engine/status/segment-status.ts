/** The segments part of an instance's status: each segment's position and holder, or why there is one. */
import { comparePositions, START } from '../../../contracts/envelope.js';
import type { AnyProjection } from '../../../projections/machinery/projection.js';
import type { LeaseHolder } from '../instances/lease.js';
import { segmentUnitId, type SegmentRecord } from '../instances/segments.js';

export interface SegmentUnitStatus {
  segment: number;
  position: { commit: string; prepare: string } | null;
  eventsProcessed: number;
  eventsPerSecond: number | null;
  /** It has reached the head once (a rebuild is promoted when every segment has). */
  caughtUp: boolean;
  /** The process projecting this segment now, null when no live lease. */
  holder: { owner: string; leaseExpiresAt: string } | null;
}

export interface SegmentsStatus {
  count: number;
  /** What the segments are partitioned on; null for one segment. */
  by: string | null;
  /** Why the read model stays one segment (its definition says); null when segmented. */
  oneSegmentBecause: string | null;
  /** Each segment (empty for one segment: the instance's processor is the holder). */
  units: SegmentUnitStatus[];
}

const NOT_DECLARED = 'its definition declares no segmentation';

export function segmentsStatus(
  instanceId: string,
  definition: AnyProjection | undefined,
  stored: readonly SegmentRecord[] | undefined,
  leases: ReadonlyMap<string, LeaseHolder>,
): SegmentsStatus {
  const segmentation = definition?.segmentation;
  const count = segmentation?.count ?? stored?.[0]?.segments ?? 1;
  if (count === 1) return { count, by: null, oneSegmentBecause: definition?.oneSegmentBecause ?? NOT_DECLARED, units: [] };
  const units = Array.from({ length: count }, (_, segment): SegmentUnitStatus => {
    const row = stored?.find((s) => s.segment === segment);
    const lease = leases.get(segmentUnitId(instanceId, segment));
    const atStart = !row || comparePositions(row.checkpoint, START) === 0;
    return {
      segment,
      position: atStart ? null : { commit: row.checkpoint.commit.toString(), prepare: row.checkpoint.prepare.toString() },
      eventsProcessed: row?.eventsProcessed ?? 0,
      eventsPerSecond: row?.eventsPerSecond ?? null,
      caughtUp: !!row?.caughtUpAt,
      holder: lease ? { owner: lease.owner, leaseExpiresAt: lease.expiresAt.toISOString() } : null,
    };
  });
  return { count, by: segmentation?.by ?? null, oneSegmentBecause: null, units };
}
