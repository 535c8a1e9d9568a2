/** The lesson aggregate as a decider for handleCommand: decideLesson and evolveLesson over one lesson's stream. */
import type { Decider } from '../../common/commands/decider.js';
import { decideLesson, decideLessonChanges } from './decide-lesson.js';
import { evolveLesson } from './evolve-lesson.js';
import type { LessonWrite } from './lesson-commands.js';
import { LessonAlreadyExistsError, LessonNotFoundError, LessonRevisionConflictError } from './lesson-errors.js';
import type { LessonState } from './lesson-state.js';
import type { LessonEventDraft } from './lesson-stream.js';

export const lessonDecider: Decider<LessonWrite, LessonState | null, LessonEventDraft> = {
  initialState: () => null,
  evolve: (state, event) => evolveLesson(state, event),
  decide(command, state) {
    switch (command.kind) {
      case 'create':
        return decideLesson(state, command, command.lessonId);
      case 'change':
        if (!state) throw new LessonNotFoundError(command.lessonId);
        if (command.expectedRevision !== undefined && state.revision !== command.expectedRevision) {
          throw new LessonRevisionConflictError(command.lessonId, command.expectedRevision, state.revision);
        }
        return decideLessonChanges(state, command.commands, command.lessonId);
      case 'make-variant': {
        // The parent's refusals come first: a missing or deleted parent says so even when the id is taken.
        const drafts = decideLesson(command.parent, command.mutate, command.parentId);
        if (state) throw new LessonAlreadyExistsError(command.mutate.variantId);
        return drafts;
      }
    }
  },
};
