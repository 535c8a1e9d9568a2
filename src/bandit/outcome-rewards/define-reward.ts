/**
 * A session's reward from an outcome request: the number given, or the one the referenced eval outcomes
 * define (they must all exist; a number given besides them must agree). Refusals name each field.
 */
import type { SessionRewardObservedData } from '../../../contracts/bandit.js';
import type { SqlExecutor } from '../../database/sql-client.js';
import type { EventStore } from '../../event-store/event-store.port.js';
import { rewardFromOutcomes } from './reward-from-outcomes.js';
import { resolveEvalOutcomes, type TestReference, type UnknownReference } from './resolve-eval-outcomes.js';

export interface RewardRequest {
  reward?: number;
  evalOutcomeIds?: string[];
  evalOutcomes?: TestReference[];
}

/** The request's reward or references define no reward: a 400 with one problem per field. */
export class InvalidRewardError extends Error {
  constructor(readonly problems: UnknownReference[]) {
    super(problems.map((p) => `${p.field}: ${p.reason}`).join('; '));
    this.name = 'InvalidRewardError';
  }
}

/** `sql`: the read-model database where outcome ids are looked up; null refuses ids ((runId, test, model) still resolve). */
export async function defineReward(
  sql: SqlExecutor | null,
  store: EventStore,
  request: RewardRequest,
): Promise<{ reward: number; fromOutcomes?: SessionRewardObservedData['fromOutcomes'] }> {
  const eventIds = request.evalOutcomeIds ?? [];
  const tests = request.evalOutcomes ?? [];
  if (eventIds.length === 0 && tests.length === 0) {
    if (request.reward === undefined) throw new InvalidRewardError([{ field: 'reward', reason: 'give a reward in [0, 1] or eval outcome references' }]);
    return { reward: request.reward };
  }
  const { outcomes, unknown } = await resolveEvalOutcomes(sql, store, { eventIds, tests });
  if (unknown.length > 0) throw new InvalidRewardError(unknown);
  const computed = rewardFromOutcomes(outcomes);
  if (!computed.ok) throw new InvalidRewardError([{ field: eventIds.length > 0 ? 'evalOutcomeIds' : 'evalOutcomes', reason: computed.reason }]);
  if (request.reward !== undefined && Math.abs(request.reward - computed.reward) > 1e-9) {
    const { passed, counted } = computed.fromOutcomes;
    throw new InvalidRewardError([
      { field: 'reward', reason: `${request.reward} disagrees with the referenced outcomes (${passed} of ${counted} passed = ${computed.reward})` },
    ]);
  }
  return { reward: computed.reward, fromOutcomes: computed.fromOutcomes };
}
