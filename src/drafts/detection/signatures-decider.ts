/**
 * An outcome's signature stream as a decider: one FailureSignaturesRecorded per extractor version, its id
 * derived from (outcome, extractor), so reading the same log again decides nothing.
 */
import { signaturesEventId, type FailureSignaturesRecordedData } from '../../../contracts/drafts.js';
import type { Decider } from '../../common/commands/decider.js';

export interface RecordSignatures {
  data: FailureSignaturesRecordedData;
}

export type SignaturesEvent = { type: 'FailureSignaturesRecorded'; data: FailureSignaturesRecordedData; eventId?: string };

export const signaturesDecider: Decider<RecordSignatures, Set<number>, SignaturesEvent> = {
  initialState: () => new Set<number>(),
  evolve: (state, event) => new Set([...state, event.data.extractor]),
  decide({ data }, state) {
    if (state.has(data.extractor)) return [];
    return [{ type: 'FailureSignaturesRecorded', data, eventId: signaturesEventId(data.outcome.eventId, data.extractor) }];
  },
};
