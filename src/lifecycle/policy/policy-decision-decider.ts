/**
 * The policy's outbox decisions as deciders. A status or match decision is decided by the lesson aggregate
 * (decideLesson) on the lesson's stream; a flag goes to the lesson's flag stream. Both are decided once: a
 * decision whose deterministic event id the stream already holds decides nothing.
 */
import type { LessonFlaggedForMutationData } from '../../../contracts/bandit.js';
import type { Decider } from '../../common/commands/decider.js';
import { decideLesson } from '../../lessons/domain/decide-lesson.js';
import { evolveLesson } from '../../lessons/domain/evolve-lesson.js';
import type { ChangeLessonMatch, ChangeLessonStatus } from '../../lessons/domain/lesson-commands.js';
import type { LessonState } from '../../lessons/domain/lesson-state.js';
import type { LessonEventDraft } from '../../lessons/domain/lesson-stream.js';

/** The policy's decision is not for this lesson any more (it was deleted, or is gone). */
export class PolicyDecisionRefusedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'PolicyDecisionRefusedError';
  }
}

export interface ApplyPolicyDecision {
  kind: 'apply-decision';
  eventId: string;
  lessonId: string;
  command: ChangeLessonStatus | ChangeLessonMatch;
}

export interface LessonWithDecisions {
  lesson: LessonState | null;
  /** Ids of the events in the lesson's stream. */
  eventIds: readonly string[];
}

export const policyDecisionDecider: Decider<ApplyPolicyDecision, LessonWithDecisions, LessonEventDraft> = {
  initialState: () => ({ lesson: null, eventIds: [] }),
  evolve: (state, event) => ({ lesson: evolveLesson(state.lesson, event), eventIds: event.eventId ? [...state.eventIds, event.eventId] : state.eventIds }),
  decide(decision, state) {
    if (state.eventIds.includes(decision.eventId)) return [];
    return decideLesson(state.lesson, decision.command, decision.lessonId);
  },
};

export interface FlagLessonForMutation {
  kind: 'flag-lesson';
  eventId: string;
  lessonId: string;
  /** Read by the caller from the lesson's stream: a flag for a lesson that is deleted or gone is refused. */
  lessonExists: boolean;
  data: LessonFlaggedForMutationData;
}

type FlagEvent = { type: 'LessonFlaggedForMutation'; data: LessonFlaggedForMutationData };

export const mutationFlagDecider: Decider<FlagLessonForMutation, readonly string[], FlagEvent> = {
  initialState: () => [],
  evolve: (eventIds, event) => (event.eventId ? [...eventIds, event.eventId] : eventIds),
  decide(flag, eventIds) {
    if (!flag.lessonExists) throw new PolicyDecisionRefusedError(`lesson ${flag.lessonId} does not exist`);
    if (eventIds.includes(flag.eventId)) return [];
    return [{ type: 'LessonFlaggedForMutation', data: flag.data }];
  },
};
