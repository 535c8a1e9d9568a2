/**
 * The holdout step after the draw: the coin withholds some of the lessons the draw selected (not refilled), and
 * each candidate gets its Thompson inclusion probability (Monte Carlo from the recorded alpha/beta). Both seeds
 * are drawn by the server; the client's seed only replays the thetas.
 */
import { randomUUID } from 'node:crypto';
import type { ArmCandidate, HoldoutRecord } from '../../../contracts/bandit.js';
import type { BanditRules } from '../../../projections/bandit/bandit-rules.js';
import type { Selection } from '../select-arms.js';
import { flipHoldoutCoins } from './holdout-coin.js';
import { inclusionProbabilities } from './inclusion-probability.js';

export interface HeldOutSelection {
  candidates: (ArmCandidate & { inclusionProbability?: number })[];
  /** The lessons injected: the draw's selection minus what the coin withheld. */
  selected: string[];
  holdout: HoldoutRecord;
  inclusion?: { method: 'monte-carlo'; draws: number; seed: string };
}

export function applyHoldout(
  selection: Selection,
  rules: Pick<BanditRules, 'holdoutRate' | 'inclusionDraws' | 'topK' | 'thetaFloor'>,
  seeds: { coin?: string; inclusion?: string } = {},
): HeldOutSelection {
  const coins = flipHoldoutCoins(selection.selected, rules.holdoutRate, seeds.coin ?? randomUUID());
  const holdout: HoldoutRecord = { rate: rules.holdoutRate, coinSeed: coins.coinSeed, withheld: coins.withheld };
  if (rules.inclusionDraws === 0 || selection.candidates.length === 0) return { candidates: selection.candidates, selected: coins.injected, holdout };
  const seed = seeds.inclusion ?? randomUUID();
  const pis = inclusionProbabilities(selection.candidates, rules, rules.inclusionDraws, seed);
  return {
    candidates: selection.candidates.map((c, i) => ({ ...c, inclusionProbability: pis[i]! })),
    selected: coins.injected,
    holdout,
    inclusion: { method: 'monte-carlo', draws: rules.inclusionDraws, seed },
  };
}
