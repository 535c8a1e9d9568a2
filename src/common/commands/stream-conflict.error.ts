import type { ExpectedRevision } from '../../event-store/event-store.port.js';

/**
 * Other writers kept appending to the stream between handleCommand's read and its append, through every
 * retry. The one conflict the write path lets out of a store's ConcurrencyError; HTTP answers it with 409.
 */
export class StreamConflictError extends Error {
  constructor(
    readonly streamId: string,
    readonly expectedRevision: ExpectedRevision,
    readonly currentRevision: bigint | 'no_stream',
    readonly attempts: number,
  ) {
    super(
      `Stream ${streamId} changed while the command was decided (${attempts} attempt(s); expected revision ` +
        `${String(expectedRevision)}, now ${String(currentRevision)}): send the command again`,
    );
    this.name = 'StreamConflictError';
  }
}
