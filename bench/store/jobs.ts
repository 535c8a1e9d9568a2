/** What the parent asks a child process to measure, and what the child answers. Plain data: it crosses IPC. */

export type Backend = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };

export type MeasurementId =
  | 'ours.open'
  | 'settle'
  | 'ours.append'
  | 'ours.append-many'
  | 'ours.read-all'
  | 'ours.subscribe'
  | 'raw.copy'
  | 'raw.copy-indexed'
  | 'raw.cursor-read'
  | 'raw.keyset-read'
  | 'emmett.append'
  | 'emmett.read'
  | 'emmett.read-reactor';

export interface Job {
  measurement: MeasurementId;
  backend: Backend;
  /** Events to write (appends); reads read whatever the store holds. */
  events: number;
  /** Events written (or read) before the clock starts, to warm caches, JIT and connections. */
  warmupEvents: number;
  /** Prefix of the stream ids this job writes, unique per job. */
  streamPrefix: string;
}

export interface MeasurementResult {
  /** Events written or read while the clock ran. */
  events: number;
  seconds: number;
  /** How it was measured, when the operation name alone does not say. */
  note?: string;
}

/** Batches of 100 events (one eval run each) per append; 100 such streams per bulk call; 1000 per read page. */
export const RUN_SIZE = 100;
export const STREAMS_PER_BULK_CALL = 100;
export const READ_PAGE_SIZE = 1000;
