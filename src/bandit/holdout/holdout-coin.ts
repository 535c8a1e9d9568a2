/**
 * The randomized holdout: each lesson Thompson sampling would inject is withheld with probability `rate`.
 * One coin per (coin seed, lesson): u = the first 48 bits of sha256(seed NUL lessonId) / 2^48, withheld when
 * u < rate. A lesson's coin therefore does not depend on the other candidates or their order, and the coin seed
 * (drawn by the server, recorded in LessonArmsSampled v2) replays every coin.
 *
 * A withheld slot is not refilled with the next-ranked lesson: refilling would make the coin-withheld outcomes
 * "another lesson instead of this one" rather than "without this one", and would make every other candidate's
 * chance of injection depend on the coins (its propensity would no longer be pi x (1 - rate)).
 */
import { createHash, randomUUID } from 'node:crypto';

export function coinValue(coinSeed: string, lessonId: string): number {
  const digest = createHash('sha256').update(`${coinSeed}\u0000${lessonId}`, 'utf8').digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

export interface HoldoutCoins {
  injected: string[];
  withheld: string[];
  coinSeed: string | null;
}

/** Flips the coins for the lessons Thompson chose (in their order). Rate 0 flips none and records no seed. */
export function flipHoldoutCoins(chosen: readonly string[], rate: number, coinSeed: string = randomUUID()): HoldoutCoins {
  if (rate <= 0) return { injected: [...chosen], withheld: [], coinSeed: null };
  const injected: string[] = [];
  const withheld: string[] = [];
  for (const lessonId of chosen) (coinValue(coinSeed, lessonId) < rate ? withheld : injected).push(lessonId);
  return { injected, withheld, coinSeed };
}
