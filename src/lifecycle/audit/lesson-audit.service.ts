/**
 * The audit of one lesson, read from the whole log (the audit needs the lesson's stream, the bandit's events
 * and the rule sets; it reads everything once per call), plus the counterfactual under another rule set.
 */
import type { EventStore } from '../../event-store/event-store.port.js';
import { LESSON_STREAM_PREFIX } from '../../lessons/domain/lesson-stream.js';
import { policyRules, readAllEvents } from '../policy/policy-rule-sets.js';
import { auditLesson, type LessonAudit } from './audit-lesson.js';
import { counterfactualArchive, type CounterfactualArchive } from './counterfactual.js';

export class UnknownLessonError extends Error {
  constructor(readonly lessonId: string) {
    super(`Lesson ${lessonId} has no events`);
    this.name = 'UnknownLessonError';
  }
}

export class UnknownPolicyRuleSetError extends Error {
  constructor(readonly ruleSetId: string) {
    super(`Unknown rule set "${ruleSetId}": no RuleSetDefined event has that ruleSetId`);
    this.name = 'UnknownPolicyRuleSetError';
  }
}

export interface LessonAuditResult extends LessonAudit {
  counterfactual?: CounterfactualArchive;
}

export async function auditLessonFromStore(store: EventStore, lessonId: string, ruleSetId?: string): Promise<LessonAuditResult> {
  const events = await readAllEvents(store);
  if (!events.some((e) => e.streamId === `${LESSON_STREAM_PREFIX}${lessonId}`)) throw new UnknownLessonError(lessonId);
  const audit: LessonAuditResult = auditLesson(events, lessonId);
  if (ruleSetId) {
    const rules = await policyRules(store, ruleSetId);
    if (!rules) throw new UnknownPolicyRuleSetError(ruleSetId);
    audit.counterfactual = counterfactualArchive(events, lessonId, rules);
  }
  return audit;
}
