/**
 * A session's reward defined by eval outcomes (pure): the fraction of the referenced outcomes that passed,
 * suspected infrastructure errors left out (they say nothing about the lessons). References that are all
 * infra errors define no reward: the request is refused, nothing is recorded.
 */
import type { RewardFromOutcomes, RewardOutcome } from '../../../contracts/bandit.js';

export type OutcomeReward = { ok: true; reward: number; fromOutcomes: RewardFromOutcomes } | { ok: false; reason: string };

/** `outcomes` in the order they were referenced; an outcome referenced twice counts once. */
export function rewardFromOutcomes(outcomes: readonly RewardOutcome[]): OutcomeReward {
  const unique = [...new Map(outcomes.map((o) => [o.eventId, o])).values()];
  if (unique.length === 0) return { ok: false, reason: 'no eval outcome referenced' };
  const counted = unique.filter((o) => !o.suspectedInfraError);
  if (counted.length === 0) {
    return { ok: false, reason: `all ${unique.length} referenced outcome(s) are suspected infrastructure errors: they define no reward` };
  }
  const passed = counted.filter((o) => o.passed).length;
  return {
    ok: true,
    reward: passed / counted.length,
    fromOutcomes: { outcomes: unique, counted: counted.length, passed, infraErrorsExcluded: unique.length - counted.length },
  };
}
