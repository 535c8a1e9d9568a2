/**
 * A decision's evidence events, filled at dispatch: the selection and the reward of every session that moved
 * the lesson's global arm, up to the triggering reward, in log order. They are read from the lesson's own
 * sessions (bandit-sessions read model plus the log after its checkpoint), not kept in the policy's document,
 * and folded with the posterior fold itself, so the lists are those a fold keeping them gives (the moves of a
 * lesson depend on its sessions only). The decision is deterministic: the same log gives the same lists.
 */
import { comparePositions, type Position } from '../../../contracts/envelope.js';
import type { Evidence } from '../../../contracts/evidence.js';
import { DEFAULT_BANDIT_RULES } from '../../../projections/bandit/bandit-rules.js';
import { applyPosteriorEvent, emptyPosteriorState } from '../../../projections/bandit/posterior.js';
import { lessonBanditHistory } from '../../bandit/lesson-bandit-events.js';
import type { SqlExecutor } from '../../database/sql-client.js';
import type { EventStore } from '../../event-store/event-store.port.js';
import type { PolicyDecision } from './policy-state.js';

export async function withEvidence(sql: SqlExecutor | null, store: EventStore, decision: PolicyDecision): Promise<PolicyDecision> {
  if (!decision.evidenceFrom) return decision;
  const { upTo: at, salienceWeighting } = decision.evidenceFrom;
  const upTo: Position = { commit: BigInt(at.commit), prepare: BigInt(at.prepare) };
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
  const fill = (evidence: Evidence): Evidence => ({ ...evidence, eventIds: [...eventIds], globalPositions: [...globalPositions] });
  const { evidenceFrom: _filled, ...rest } = decision;
  const command = decision.command;
  if (command.kind === 'flag-mutation') {
    const evidence = fill(command.evidence);
    return { ...rest, command: { ...command, evidence, data: { ...command.data, evidence } } };
  }
  return { ...rest, command: { ...command, evidence: fill(command.evidence!) } };
}
