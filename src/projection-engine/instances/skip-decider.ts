/**
 * The skips stream as a decider: an operator's skip of (instance, event) is recorded once; asking again for the
 * same pair decides nothing. Which event may be skipped (the one a failed instance stopped at) is checked
 * against the instance row before the command is run.
 */
import type { ProjectionEventSkippedData } from '../../../contracts/projection-ops.js';
import type { Decider } from '../../common/commands/decider.js';

export interface SkipEvent {
  type: 'ProjectionEventSkipped';
  data: ProjectionEventSkippedData;
}

export interface RecordSkip {
  skip: ProjectionEventSkippedData;
}

/** The (instance, event) pairs already skipped. */
export type RecordedSkipKeys = ReadonlySet<string>;

export const skipKey = (instanceId: string, eventId: string): string => JSON.stringify([instanceId, eventId]);

export const skipDecider: Decider<RecordSkip, RecordedSkipKeys, SkipEvent> = {
  initialState: () => new Set<string>(),
  evolve: (state, event) => (event.type === 'ProjectionEventSkipped' ? new Set([...state, skipKey(event.data.instanceId, event.data.eventId)]) : state),
  decide: ({ skip }, skipped) => (skipped.has(skipKey(skip.instanceId, skip.eventId)) ? [] : [{ type: 'ProjectionEventSkipped', data: skip }]),
};
