/**
 * One Thompson-sampling selection, in two pure steps: the candidates' posteriors (the arm each draws from,
 * its alpha and beta), then the draw (theta per candidate in the order given, top-k above the floor). The
 * draw is the one place a selection is random: given the same posteriors and the same seeded sampler it
 * gives the same thetas and the same selected set.
 */
import type { ArmCandidate } from '../../contracts/bandit.js';
import type { BanditRules } from '../../projections/bandit/bandit-rules.js';
import { armAlphaBeta, armForSelection, type PosteriorState } from '../../projections/bandit/posterior.js';
import type { BetaDraw } from './beta-sampler.js';

export interface CandidatePosterior {
  lessonId: string;
  armKey: string;
  alpha: number;
  beta: number;
}

export interface Selection {
  candidates: ArmCandidate[];
  selected: string[];
}

export type SelectionContext = { model?: string | undefined; category?: string | undefined };

/** Each lesson's arm for this context (a contextual one once it has enough rewards) and its alpha, beta now. */
export function candidatePosteriors(lessonIds: readonly string[], context: SelectionContext, state: PosteriorState, rules: BanditRules): CandidatePosterior[] {
  return lessonIds.map((lessonId) => {
    const armKey = armForSelection(state, lessonId, context, rules);
    const { alpha, beta } = armAlphaBeta(state, armKey, rules);
    return { lessonId, armKey, alpha, beta };
  });
}

/** Candidates are drawn in the order given (the matcher's, best first), so a seed reproduces every theta. */
export function drawSelection(candidates: readonly CandidatePosterior[], draw: BetaDraw, rules: Pick<BanditRules, 'topK' | 'thetaFloor'>): Selection {
  const drawn = candidates.map((c): ArmCandidate => ({ lessonId: c.lessonId, armKey: c.armKey, alpha: c.alpha, beta: c.beta, theta: draw(c.alpha, c.beta) }));
  const selected = drawn
    .filter((c) => c.theta >= rules.thetaFloor)
    .sort((a, b) => b.theta - a.theta || (a.lessonId < b.lessonId ? -1 : a.lessonId > b.lessonId ? 1 : 0))
    .slice(0, rules.topK)
    .map((c) => c.lessonId);
  return { candidates: drawn, selected };
}

export function selectArms(lessonIds: readonly string[], context: SelectionContext, state: PosteriorState, rules: BanditRules, draw: BetaDraw): Selection {
  return drawSelection(candidatePosteriors(lessonIds, context, state, rules), draw, rules);
}
