/**
 * An external change is one stream per changeId holding one ExternalChangeObserved, written once: recording
 * it again with the same content decides nothing (a no-op), other content under its id is refused.
 */
import type { ExternalChangeObservedData } from '../../../contracts/external.js';
import type { Decider } from '../../common/commands/decider.js';

/** A change as recorded: the event's data and the instant it happened in the world (ISO, normalised). */
export interface ExternalChange extends ExternalChangeObservedData {
  occurredAt: string;
}

export interface RecordExternalChange {
  kind: 'record';
  change: ExternalChange;
}

export type ExternalChangeEvent = { type: 'ExternalChangeObserved'; data: ExternalChangeObservedData };

export class ExternalChangeConflictError extends Error {
  constructor(
    readonly changeId: string,
    readonly differences: string[],
  ) {
    super(`Change ${changeId} is already recorded with different content (${differences.join(', ')}); use a new changeId`);
    this.name = 'ExternalChangeConflictError';
  }
}

export const externalChangeDecider: Decider<RecordExternalChange, ExternalChange | null, ExternalChangeEvent> = {
  initialState: () => null,
  evolve: (state, event) => (event.type === 'ExternalChangeObserved' ? { ...event.data, occurredAt: event.metadata.occurredAt } : state),
  decide({ change }, recorded) {
    const { occurredAt: _at, ...data } = change;
    if (!recorded) return [{ type: 'ExternalChangeObserved', data }];
    const differences = changeDifferences(recorded, change);
    if (differences.length > 0) throw new ExternalChangeConflictError(change.changeId, differences);
    return [];
  },
};

function changeDifferences(recorded: ExternalChange, submitted: ExternalChange): string[] {
  return (['kind', 'subject', 'description', 'occurredAt'] as const).filter((field) => recorded[field] !== submitted[field]).map((field) => `${field} differs`);
}
