/**
 * theta ~ Beta(alpha, beta) from @stdlib's seedable generator (Mersenne Twister underneath). The seed is a
 * string stored in the LessonArmsSampled event; it is hashed to four 32-bit words for MT19937, so the same
 * seed string always gives the same draws in the same order.
 */
import { createHash } from 'node:crypto';
import beta from '@stdlib/random-base-beta';

export type BetaDraw = (alpha: number, beta: number) => number;

export function seedWords(seed: string): number[] {
  const digest = createHash('sha256').update(seed, 'utf8').digest();
  return [0, 4, 8, 12].map((offset) => digest.readUInt32BE(offset) || 1);
}

export function seededBetaSampler(seed: string): BetaDraw {
  const draw = beta.factory({ seed: seedWords(seed) });
  return (a, b) => draw(a, b);
}
