/** One Thompson-sampling selection (pure apart from the draw it is given): theta per candidate, top-k above the floor. */
import type { ArmCandidate } from '../../contracts/bandit.js';
import type { BanditRules } from '../../projections/bandit/bandit-rules.js';
import { armForSelection, summarizeArm, type PosteriorState } from '../../projections/bandit/posterior.js';
import type { BetaDraw } from './beta-sampler.js';

export interface Selection {
  candidates: ArmCandidate[];
  selected: string[];
}

/** Candidates are drawn in the order given (the matcher's, best first), so a seed reproduces every theta. */
export function selectArms(
  lessonIds: readonly string[],
  context: { model?: string | undefined; category?: string | undefined },
  state: PosteriorState,
  rules: BanditRules,
  draw: BetaDraw,
): Selection {
  const candidates = lessonIds.map((lessonId): ArmCandidate => {
    const armKey = armForSelection(state, lessonId, context, rules);
    const { alpha, beta } = summarizeArm(state, armKey, rules);
    return { lessonId, armKey, alpha, beta, theta: draw(alpha, beta) };
  });
  const selected = candidates
    .filter((c) => c.theta >= rules.thetaFloor)
    .sort((a, b) => b.theta - a.theta || (a.lessonId < b.lessonId ? -1 : a.lessonId > b.lessonId ? 1 : 0))
    .slice(0, rules.topK)
    .map((c) => c.lessonId);
  return { candidates, selected };
}
