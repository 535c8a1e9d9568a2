import { LessonNotFoundError, LessonRejectedError } from '../../src/lessons/domain/lesson-errors.js';
import {
  mutationFlagDecider,
  policyDecisionDecider,
  PolicyDecisionRefusedError,
  type ApplyPolicyDecision,
  type FlagLessonForMutation,
} from '../../src/lifecycle/policy/policy-decision-decider.js';
import { deciderSpec } from '../support/decider-spec.js';
import { createCommand, lessonHistory } from '../lessons/support/lesson-events.js';

const DECISION_ID = '11111111-1111-4111-8111-111111111111';
const archive: ApplyPolicyDecision = {
  kind: 'apply-decision',
  eventId: DECISION_ID,
  lessonId: 'shell-quoting',
  command: { kind: 'change-status', to: 'archived', reason: 'posterior mean 0.1 < 0.2', decidedBy: 'policy', ruleSetId: 'rs-1' },
};
const lessonStream = () => lessonHistory('shell-quoting', [createCommand()]);
const decisions = deciderSpec(policyDecisionDecider);

describe('policy decision on a lesson: decide (given the lesson stream, when a decision, then events or a refusal)', () => {
  it('a decision is decided by the lesson aggregate', () => {
    decisions
      .given(lessonStream())
      .when(archive)
      .then([
        {
          type: 'LessonStatusChanged',
          data: { lessonId: 'shell-quoting', from: 'active', to: 'archived', reason: 'posterior mean 0.1 < 0.2', decidedBy: 'policy', ruleSetId: 'rs-1' },
        },
      ]);
  });

  it('a decision whose event id the stream holds decides nothing', () => {
    const [created] = lessonStream();
    const applied = { type: 'LessonStatusChanged', data: { lessonId: 'shell-quoting', from: 'active', to: 'archived', reason: 'r', decidedBy: 'policy' }, eventId: DECISION_ID };
    decisions.given([created!, applied]).when(archive).thenNothing();
  });

  it('the lesson refuses it when a human already archived it, and when the lesson is missing', () => {
    const archived = lessonHistory('shell-quoting', [createCommand({ status: 'archived' })]);
    decisions.given(archived).when(archive).thenThrows(LessonRejectedError);
    decisions.given([]).when(archive).thenThrows(LessonNotFoundError, { lessonId: 'shell-quoting' });
  });
});

const flag: FlagLessonForMutation = {
  kind: 'flag-lesson',
  eventId: DECISION_ID,
  lessonId: 'shell-quoting',
  lessonExists: true,
  data: {
    lessonId: 'shell-quoting',
    reason: 'stalled-middle-band',
    explanation: 'mean 0.5 in [0.4, 0.6] after 40 rewards',
    decidedBy: 'policy',
    ruleSetId: 'rs-1',
    ruleSetVersion: 1,
    evidence: { numbers: { mean: 0.5 }, eventIds: [], globalPositions: [], rule: 'flag-stalled-middle-band' },
  },
};
const flags = deciderSpec(mutationFlagDecider);

describe('mutation flag: decide (given the flag stream, when a flag, then the flag, nothing, or a refusal)', () => {
  it('a new flag is one LessonFlaggedForMutation', () => {
    flags.given([]).when(flag).then([{ type: 'LessonFlaggedForMutation', data: flag.data }]);
  });

  it('a flag already in the stream decides nothing', () => {
    flags.given([{ type: 'LessonFlaggedForMutation', data: flag.data, eventId: DECISION_ID }]).when(flag).thenNothing();
  });

  it('a flag for a lesson that is gone is refused', () => {
    flags.given([]).when({ ...flag, lessonExists: false }).thenThrows(PolicyDecisionRefusedError, { message: 'lesson shell-quoting does not exist' });
  });
});
