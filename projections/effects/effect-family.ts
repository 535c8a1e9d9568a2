/**
 * False-discovery control over lesson effects. The family is every lesson's estimate by one method under one
 * rule set (never one page of a listing, never one lesson alone): each testable estimate (p not null) gets the
 * step-up q-value of its p among them, Benjamini–Hochberg or Benjamini–Yekutieli as the rule set says, and is a
 * discovery when q <= `effectFdrLevel`. Untestable estimates are not members and keep q null.
 */
import { qValues } from '../stats/false-discovery.js';
import type { EffectRules } from './effect-rules.js';

export interface FamilyMember {
  p: number | null;
}

export interface FamilyVerdict {
  q: number | null;
  discovery: boolean | null;
}

/** The q-value of each member, in the order given (the family is every member with a p). */
export function familyVerdicts(members: readonly FamilyMember[], rules: Pick<EffectRules, 'effectFdrMethod' | 'effectFdrLevel'>): FamilyVerdict[] {
  const tested = members.flatMap((m, i) => (m.p === null ? [] : [{ p: m.p, i }]));
  const q = qValues(tested.map((t) => t.p), rules.effectFdrMethod);
  const out: FamilyVerdict[] = members.map(() => ({ q: null, discovery: null }));
  tested.forEach((t, k) => {
    out[t.i] = { q: q[k]!, discovery: q[k]! <= rules.effectFdrLevel };
  });
  return out;
}

/** Gives each estimate its family verdict (estimates in the same order as the members they were made from). */
export function withFamily<E extends FamilyMember>(estimates: readonly E[], rules: Pick<EffectRules, 'effectFdrMethod' | 'effectFdrLevel'>): (E & FamilyVerdict)[] {
  const verdicts = familyVerdicts(estimates, rules);
  return estimates.map((e, i) => ({ ...e, ...verdicts[i]! }));
}
