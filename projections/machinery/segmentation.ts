/**
 * Segments: a projection instance split into units that separate processes project side by side. A
 * definition that declares a segmentation names the key its rows are partitioned on; every event goes to
 * exactly one segment (a hash of that key, modulo the count), so each segment applies its events in log order
 * and writes only rows of its own keys. A read model that needs all events in one order stays one segment and
 * says why (`ProjectionBase.oneSegmentBecause`). Pure: no I/O.
 */
import type { RecordedEvent } from '../../contracts/envelope.js';

export interface Segmentation {
  /** How many segments (>= 2). Part of the instance's stored state: changing it needs a new version. */
  readonly count: number;
  /** What the key is, for status (e.g. "model and test"). */
  readonly by: string;
  /** The partition key of an event the projection handles: rows it changes are keyed by it. */
  key(event: RecordedEvent): string;
}

/** 32-bit FNV-1a of the key's UTF-16 code units: stable across processes and versions of Node. */
export function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The segment (0 .. count-1) an event belongs to. */
export function segmentOf(segmentation: Segmentation, event: RecordedEvent): number {
  return hashKey(segmentation.key(event)) % segmentation.count;
}
