/**
 * The audit of one lesson, plus the counterfactual under another rule set, read without scanning the log:
 * the lesson's stream (and its parent's, for a variant), its mutation flags' stream, the streams of the rule
 * sets its decisions cite, and its bandit sessions (bandit-sessions read model and the log's tail; the whole
 * log only when that read model is missing, or behind while a rule set discounts). The pure audit then runs
 * over those events in log order, with the discount clock when the events are only the lesson's.
 */
import type { LessonFlaggedForMutationData } from '../../../contracts/bandit.js';
import { catalogueUpcasting, type Upcasting } from '../../../contracts/catalogue.js';
import { comparePositions, type RecordedEvent } from '../../../contracts/envelope.js';
import type { LessonMutatedData } from '../../../contracts/lesson.js';
import { DEFAULT_POLICY_RULE_SET_ID, type BanditRules } from '../../../projections/bandit/bandit-rules.js';
import { lessonBanditHistory } from '../../bandit/lesson-bandit-events.js';
import type { SqlExecutor } from '../../database/sql-client.js';
import type { EventStore } from '../../event-store/event-store.port.js';
import { lessonStreamId } from '../../lessons/domain/lesson-stream.js';
import { readRuleSetStream } from '../../rule-sets/rule-set-stream.js';
import { ruleSetAtVersion } from '../../rule-sets/rule-set-versions.js';
import { mutationFlagStreamId } from '../policy/policy-dispatcher.js';
import { policyRules, rulesOf } from '../policy/policy-rule-sets.js';
import { exposureStreamId } from '../../../contracts/exposure.js';
import { evalRunStreamId } from '../../ingest/eval-run-events.js';
import { auditLesson, type LessonAudit } from './audit-lesson.js';
import { counterfactualArchive, type CounterfactualArchive } from './counterfactual.js';
import { draftOrigin, type DraftOrigin } from '../../drafts/review/draft-origin.js';

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
  /** The draft the lesson began as: its pattern and evidence (lessons accepted from a lesson draft only). */
  origin?: DraftOrigin;
}

/**
 * `sql`: the read-model database holding bandit-sessions; without it the bandit events come from the log.
 * `upcasting`: how that read model's rows are upcast, the store's (the catalogue's unless a spec says otherwise).
 */
export async function auditLessonFromStore(
  store: EventStore,
  lessonId: string,
  ruleSetId?: string,
  sql: SqlExecutor | null = null,
  upcasting: Upcasting = catalogueUpcasting,
): Promise<LessonAuditResult> {
  const lesson = await store.readStream(lessonStreamId(lessonId));
  if (lesson.length === 0) throw new UnknownLessonError(lessonId);
  const counterfactualRules = ruleSetId ? await policyRules(store, ruleSetId) : undefined;
  if (counterfactualRules === null) throw new UnknownPolicyRuleSetError(ruleSetId!);
  const parents = [...new Set(lesson.filter((e) => e.type === 'LessonMutated').map((e) => (e.data as LessonMutatedData).parentLessonId))];
  const flags = await store.readStream(mutationFlagStreamId(lessonId));
  const cited = new Set<string>();
  for (const e of [...lesson, ...flags]) {
    const id = (e.data as { ruleSetId?: string } | LessonFlaggedForMutationData).ruleSetId;
    if (id && id !== DEFAULT_POLICY_RULE_SET_ID) cited.add(id);
  }
  const ruleSetEvents = (await Promise.all([...cited].map((id) => readRuleSetStream(store, id)))).flat();
  const rules = [...citedRules(ruleSetEvents, [...lesson, ...flags]), ...(counterfactualRules ? [counterfactualRules] : [])];
  const bandit = await lessonBanditHistory(sql, store, lessonId, { discounted: rules.some((r) => r.gamma !== 1), upcasting });
  const parentEvents = (await Promise.all(parents.map((id) => store.readStream(lessonStreamId(id))))).flat();
  const outcomes = await effectEvidenceOutcomes(store, lesson);
  const byId = new Map<string, RecordedEvent>();
  for (const e of [...lesson, ...parentEvents, ...flags, ...ruleSetEvents, ...bandit.events, ...outcomes]) byId.set(e.eventId, e);
  const events = [...byId.values()].sort((a, b) => comparePositions(a.position, b.position));
  const steps = bandit.steps ?? undefined;
  const audit: LessonAuditResult = auditLesson(events, lessonId, steps);
  if (counterfactualRules) audit.counterfactual = counterfactualArchive(events, lessonId, counterfactualRules, steps);
  const origin = await draftOrigin(store, lesson);
  if (origin) audit.origin = origin;
  return audit;
}

/** The eval outcomes a decision on effect cites (found through each outcome's exposure stream and its run). */
async function effectEvidenceOutcomes(store: EventStore, lesson: readonly RecordedEvent[]): Promise<RecordedEvent[]> {
  const ids = new Set(
    lesson.flatMap((e) => {
      const evidence = (e.data as { evidence?: { estimator?: string; eventIds: string[] } }).evidence;
      return evidence?.estimator ? evidence.eventIds : [];
    }),
  );
  const runs = new Set<string>();
  for (const id of ids) {
    const [exposure] = await store.readStream(exposureStreamId(id));
    if (exposure) runs.add((exposure.data as { outcome: { runId: string } }).outcome.runId);
  }
  const events = (await Promise.all([...runs].map((runId) => store.readStream(evalRunStreamId(runId))))).flat();
  return events.filter((e) => ids.has(e.eventId));
}

/** The rules of every (rule set, version) the lesson's policy decisions cite. */
function citedRules(ruleSetEvents: readonly RecordedEvent[], decisions: readonly RecordedEvent[]): BanditRules[] {
  const rules: BanditRules[] = [rulesOf(null)];
  for (const e of decisions) {
    const data = e.data as { ruleSetId?: string; ruleSetVersion?: number };
    if (!data.ruleSetId || data.ruleSetId === DEFAULT_POLICY_RULE_SET_ID) continue;
    const found = ruleSetAtVersion(ruleSetEvents, data.ruleSetId, data.ruleSetVersion ?? 1);
    if (found) rules.push(rulesOf(found.version));
  }
  return rules;
}
