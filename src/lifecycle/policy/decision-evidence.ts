/**
 * A decision's evidence events, filled at dispatch: the selection and the reward of every session that moved
 * the lesson's global arm, up to the triggering reward, in log order. They are read from the lesson's own
 * sessions (bandit-sessions read model plus the log after its checkpoint), not kept in the policy's document,
 * and folded with the posterior fold itself, so the lists are those a fold keeping them gives (the moves of a
 * lesson depend on its sessions only). The decision is deterministic: the same log gives the same lists.
 * A decision on effect lists the outcomes its estimate counted, read from the exposure events up to the
 * triggering one (a scan of the log; such decisions are rare: once per lesson and kind).
 */
import { comparePositions, type Position } from '../../../contracts/envelope.js';
import type { Evidence } from '../../../contracts/evidence.js';
import { DEFAULT_BANDIT_RULES } from '../../../projections/bandit/bandit-rules.js';
import { applyPosteriorEvent, emptyPosteriorState } from '../../../projections/bandit/posterior.js';
import { lessonBanditHistory } from '../../bandit/lesson-bandit-events.js';
import type { SqlExecutor } from '../../database/sql-client.js';
import type { EventStore } from '../../event-store/event-store.port.js';
import { countedLessons, type EffectBasis } from './effect-decisions.js';
import type { PolicyDecision } from './policy-state.js';

async function effectEvidence(store: EventStore, lessonId: string, upTo: Position, basis: EffectBasis) {
  const eventIds: string[] = [];
  const globalPositions: string[] = [];
  let after: Position | undefined;
  for (;;) {
    const page = await store.readAll({ ...(after ? { after } : {}), maxCount: 5000 });
    for (const event of page) {
      if (comparePositions(event.position, upTo) > 0) return { eventIds, globalPositions };
      if (event.type !== 'LessonExposureRecorded' || !countedLessons(event, basis).some(([id]) => id === lessonId)) continue;
      const { outcome } = event.data as { outcome: { eventId: string; globalPosition: string } };
      eventIds.push(outcome.eventId);
      globalPositions.push(outcome.globalPosition);
    }
    if (page.length < 5000) return { eventIds, globalPositions };
    after = page[page.length - 1]!.position;
  }
}

export async function withEvidence(sql: SqlExecutor | null, store: EventStore, decision: PolicyDecision): Promise<PolicyDecision> {
  if (!decision.evidenceFrom) return decision;
  const { upTo: at, salienceWeighting, effect } = decision.evidenceFrom;
  const upTo: Position = { commit: BigInt(at.commit), prepare: BigInt(at.prepare) };
  if (effect) return filled(decision, await effectEvidence(store, decision.lessonId, upTo, effect));
  const history = await lessonBanditHistory(sql, store, decision.lessonId, { discounted: false, atLeast: upTo });
  // Moves depend on the sessions and on salience weighting only (gamma and the priors change the numbers, not who moved).
  const rules = { ...DEFAULT_BANDIT_RULES, salienceWeighting };
  const state = emptyPosteriorState();
  const eventIds: string[] = [];
  const globalPositions: string[] = [];
  for (const event of history.events) {
    if (comparePositions(event.position, upTo) > 0) break;
    const session = event.type === 'SessionRewardObserved' ? state.sessions[(event.data as { sessionId: string }).sessionId] : undefined;
    for (const move of applyPosteriorEvent(state, event, rules)) {
      if (move.lessonId !== decision.lessonId) continue;
      eventIds.push(session!.sampledEventId, event.eventId);
      globalPositions.push(session!.sampledGlobalPosition, event.globalPosition.toString());
    }
  }
  return filled(decision, { eventIds, globalPositions });
}

function filled(decision: PolicyDecision, { eventIds, globalPositions }: { eventIds: string[]; globalPositions: string[] }): PolicyDecision {
  const fill = (evidence: Evidence): Evidence => ({ ...evidence, eventIds: [...eventIds], globalPositions: [...globalPositions] });
  const { evidenceFrom: _filled, ...rest } = decision;
  const command = decision.command;
  if (command.kind === 'flag-mutation') {
    const evidence = fill(command.evidence);
    return { ...rest, command: { ...command, evidence, data: { ...command.data, evidence } } };
  }
  return { ...rest, command: { ...command, evidence: fill(command.evidence!) } };
}
