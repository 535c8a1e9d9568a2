import { START as CLIENT_START, type Position as ClientPosition, type ReadPosition } from '@eventstore/db-client';
import { comparePositions, START, type Position } from '../../../contracts/envelope.js';

/** EventStoreDB's log position is already a {commit, prepare} pair of bigints. */
export function fromClientPosition(position: ClientPosition): Position {
  return { commit: BigInt(position.commit), prepare: BigInt(position.prepare) };
}

/** Where a forward read of $all starts for "strictly after `after`" (the read itself may include `after`). */
export function toReadPosition(after: Position | undefined): ReadPosition {
  if (after === undefined || comparePositions(after, START) <= 0) return CLIENT_START;
  return { commit: after.commit, prepare: after.prepare };
}

/** System events ($statsCollected, $metadata, projection links `$>`...) are never ours. */
export function isSystemEventType(type: string): boolean {
  return type.startsWith('$');
}
