/**
 * One lesson draft's stream as a decider: the proposal (its event id is the draft id, so proposing again
 * decides nothing), then at most one review, an accept naming the lesson it created or a reject with its
 * reason. Accepting an accepted draft with the same lesson decides nothing; any other second review is refused.
 */
import type { LessonDraftAcceptedData, LessonDraftProposedData, LessonDraftRejectedData } from '../../../contracts/drafts.js';
import type { Decider } from '../../common/commands/decider.js';

export type DraftCommand =
  | { kind: 'propose'; proposal: LessonDraftProposedData }
  | { kind: 'accept'; draftId: string; lessonId: string; actor: string }
  | { kind: 'reject'; draftId: string; actor: string; reason: string };

export type DraftEvent =
  | { type: 'LessonDraftProposed'; data: LessonDraftProposedData; eventId?: string }
  | { type: 'LessonDraftAccepted'; data: LessonDraftAcceptedData }
  | { type: 'LessonDraftRejected'; data: LessonDraftRejectedData };

export interface DraftState {
  proposal: LessonDraftProposedData | null;
  proposedAt: string | null;
  review: ({ status: 'accepted'; at: string } & LessonDraftAcceptedData) | ({ status: 'rejected'; at: string } & LessonDraftRejectedData) | null;
}

export class DraftNotFoundError extends Error {
  constructor(readonly draftId: string) {
    super(`Lesson draft ${draftId} does not exist`);
    this.name = 'DraftNotFoundError';
  }
}

export class DraftAlreadyReviewedError extends Error {
  constructor(
    readonly draftId: string,
    readonly status: 'accepted' | 'rejected',
  ) {
    super(`Lesson draft ${draftId} is already ${status}`);
    this.name = 'DraftAlreadyReviewedError';
  }
}

export const draftDecider: Decider<DraftCommand, DraftState, DraftEvent> = {
  initialState: () => ({ proposal: null, proposedAt: null, review: null }),
  evolve(state, event) {
    switch (event.type) {
      case 'LessonDraftProposed':
        return state.proposal ? state : { ...state, proposal: event.data, proposedAt: event.metadata.occurredAt };
      case 'LessonDraftAccepted':
        return { ...state, review: { status: 'accepted', at: event.metadata.occurredAt, ...event.data } };
      case 'LessonDraftRejected':
        return { ...state, review: { status: 'rejected', at: event.metadata.occurredAt, ...event.data } };
    }
  },
  decide(command, state) {
    if (command.kind === 'propose') {
      if (state.proposal) return [];
      return [{ type: 'LessonDraftProposed', data: command.proposal, eventId: command.proposal.draftId }];
    }
    if (!state.proposal) throw new DraftNotFoundError(command.draftId);
    if (command.kind === 'accept') {
      if (state.review?.status === 'accepted' && state.review.lessonId === command.lessonId) return [];
      if (state.review) throw new DraftAlreadyReviewedError(command.draftId, state.review.status);
      return [{ type: 'LessonDraftAccepted', data: { draftId: command.draftId, lessonId: command.lessonId, actor: command.actor } }];
    }
    if (state.review) throw new DraftAlreadyReviewedError(command.draftId, state.review.status);
    return [{ type: 'LessonDraftRejected', data: { draftId: command.draftId, actor: command.actor, reason: command.reason } }];
  },
};
