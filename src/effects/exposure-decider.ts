/**
 * One outcome's exposure stream (`exposure-<outcome event id>`): one LessonExposureRecorded per source. The event
 * id is derived from (outcome, source), so a second report from the same source decides nothing.
 */
import type { NewEventOf } from '../../contracts/catalogue.js';
import type { Decider } from '../common/commands/decider.js';

export interface RecordExposure {
  event: NewEventOf<'LessonExposureRecorded'>;
}

export interface ExposureStreamState {
  eventIds: ReadonlySet<string>;
}

export const exposureDecider: Decider<RecordExposure, ExposureStreamState, NewEventOf<'LessonExposureRecorded'>> = {
  initialState: () => ({ eventIds: new Set() }),
  evolve: (state, event) => (event.eventId ? { eventIds: new Set([...state.eventIds, event.eventId]) } : state),
  decide: (command, state) => (state.eventIds.has(command.event.eventId) ? [] : [command.event]),
};
