/**
 * The lifecycle policy as a `documents` projection, so it runs on the projection engine like any read
 * model: one document (`policy`) per instance holds the PolicyState, and the engine commits it together with
 * the checkpoint in one transaction. Decisions land in the document's outbox inside that same transaction;
 * the dispatcher (policy-dispatcher.ts) appends them afterwards under their deterministic ids. So:
 * - a crash before the commit: the batch is folded again and takes the same decisions with the same ids;
 * - a crash after the commit, before or during dispatch: the outbox still holds them and the next start
 *   dispatches them; an id already in the lesson's stream is skipped (and the store ignores a re-append);
 * - the outbox entry is removed when the fold meets the decision's event in the log.
 * Each decision is therefore appended exactly once, however often the processor is killed.
 */
import type { RecordedEvent } from '../../contracts/envelope.js';
import { banditRules, DEFAULT_BANDIT_RULES, type BanditRules } from '../bandit/bandit-rules.js';
import { applyPosteriorEvent, emptyPosteriorState, type OpenSession } from '../bandit/posterior.js';
import { defineDocumentProjection } from '../machinery/projection.js';
import { applyPolicyEvent, copyForEvent, emptyPolicyState, POLICY_EVENT_TYPES, type PolicyState } from '../../src/lifecycle/policy/policy-state.js';

export const LIFECYCLE_POLICY_NAME = 'lifecycle-policy';
export const POLICY_DOCUMENT_KEY = 'policy';
export const LIFECYCLE_POLICY_TABLE = 'lifecycle_policy_state';
/** A selection waiting for its reward is a document of its own, `session:<id>`, deleted by the reward. */
export const SESSION_DOCUMENT_PREFIX = 'session:';

const sessionKey = (event: RecordedEvent) => `${SESSION_DOCUMENT_PREFIX}${(event.data as { sessionId: string }).sessionId}`;

/** The policy's document, or one open session's. */
export type PolicyDocument = PolicyState | OpenSession;

export const lifecyclePolicyProjection = defineDocumentProjection<PolicyDocument, BanditRules>({
  name: LIFECYCLE_POLICY_NAME,
  // v2: flag for mutation (a new decision for the same events). v3: a flag counts as taken only under its own
  // rule set version, so a later version whose trigger follows an earlier version's flag now flags too.
  // v4: the document keeps no evidence lists (they grew with every reward and were copied and written whole
  // on every event); the dispatcher fills a decision's evidence from the lesson's sessions. Same decisions, same ids.
  // v5: the document holds exposure counts per lesson (`effects`), so the policy can decide on effect
  // (`policyDecidesOn`); it folds LessonExposureRecorded. Under the default `reward` the decisions are v4's.
  // v6: selections waiting for their reward are documents of their own (never rewarded ones no longer grow the
  // policy's document, and a selection no longer writes it). Same decisions, same ids.
  version: 6,
  description: 'Thompson-sampling posteriors and the archive/promote/expand/flag-for-mutation decisions of the lifecycle policy',
  eventTypes: POLICY_EVENT_TYPES,
  defaultRules: DEFAULT_BANDIT_RULES,
  parseRules: (merged) => banditRules(merged),
  documentTable: LIFECYCLE_POLICY_TABLE,
  keptInMemory: [POLICY_DOCUMENT_KEY],
  documentKeys: (event) => {
    if (event.type === 'LessonArmsSampled') return [sessionKey(event)];
    if (event.type === 'SessionRewardObserved') return [POLICY_DOCUMENT_KEY, sessionKey(event)];
    return [POLICY_DOCUMENT_KEY];
  },
  // A session's document is never stored empty: its selection replaces it, its reward deletes it.
  initialDocument: (key): PolicyDocument => (key === POLICY_DOCUMENT_KEY ? emptyPolicyState(false) : { lessonIds: [], context: {}, sampledEventId: '', sampledGlobalPosition: '' }),
  evolve(doc: PolicyDocument, event: RecordedEvent, rules: BanditRules, key: string, peek: (key: string) => PolicyDocument | undefined) {
    if (key !== POLICY_DOCUMENT_KEY) return openSession(event, rules);
    // Deciding on rewards, exposure changes nothing: no copy.
    if (event.type === 'LessonExposureRecorded' && rules.policyDecidesOn === 'reward') return doc;
    // A copy (of the maps, not of the history): a failing event must leave the document as it was before it.
    const next = copyForEvent(doc as PolicyState);
    if (event.type === 'SessionRewardObserved') {
      // The fold reads the session it closes from the session's own document (nothing else is open in `next`).
      const open = peek(sessionKey(event)) as OpenSession | undefined;
      next.posterior.sessions = open ? { [(event.data as { sessionId: string }).sessionId]: open } : {};
    }
    applyPolicyEvent(next, event, rules);
    next.posterior.sessions = {};
    return next;
  },
});

/** A session's document: the selection waiting for its reward (the latest one), deleted by the reward. */
function openSession(event: RecordedEvent, rules: BanditRules): OpenSession | null {
  if (event.type !== 'LessonArmsSampled') return null;
  const scratch = emptyPosteriorState();
  applyPosteriorEvent(scratch, event, rules);
  return scratch.sessions[(event.data as { sessionId: string }).sessionId]!;
}
