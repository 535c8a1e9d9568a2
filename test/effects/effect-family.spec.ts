/** False-discovery control over lesson effects: the family is every lesson's estimate by one method under a rule set. */
import { familyVerdicts, withFamily } from '../../projections/effects/effect-family.js';
import { estimateEffect, waldP } from '../../projections/effects/estimate-effects.js';
import { DEFAULT_EFFECT_RULES } from '../../projections/effects/effect-rules.js';
import { emptyCounts } from '../../projections/effects/lesson-effect-counts.js';

const BH = { effectFdrMethod: 'bh', effectFdrLevel: 0.05 } as const;

describe('lesson-effect family', () => {
  // BH over p = 0.01, 0.04, 0.03 (m = 3): sorted 0.01, 0.03, 0.04 -> 0.01*3/1 = 0.03, 0.03*3/2 = 0.045,
  // 0.04*3/3 = 0.04; step-up minima from the top: q(0.04) = 0.04, q(0.03) = min(0.045, 0.04) = 0.04, q(0.01) = 0.03.
  it('gives each testable estimate its Benjamini-Hochberg q-value and leaves untestable ones out of the family', () => {
    const verdicts = familyVerdicts([{ p: 0.01 }, { p: null }, { p: 0.04 }, { p: 0.03 }], BH);
    expect(verdicts.map((v) => v.q)).toEqual([expect.closeTo(0.03, 12), null, expect.closeTo(0.04, 12), expect.closeTo(0.04, 12)]);
    expect(verdicts.map((v) => v.discovery)).toEqual([true, null, true, true]);
  });

  // BY multiplies by 1 + 1/2 + 1/3 = 11/6: q(0.01) = 0.03 * 11/6 = 0.055 > 0.05, no longer a discovery.
  it('is stricter under Benjamini-Yekutieli', () => {
    const [first] = withFamily([{ p: 0.01, lessonId: 'a' }, { p: 0.04, lessonId: 'b' }, { p: 0.03, lessonId: 'c' }], { ...BH, effectFdrMethod: 'by' });
    expect(first).toMatchObject({ lessonId: 'a', discovery: false });
    expect(first!.q).toBeCloseTo(0.055, 12);
  });

  it("takes the randomized holdout's p from Fisher's exact test and the others' from the normal approximation", () => {
    let doc = { ...emptyCounts('id:x', null), evidence: {} };
    doc = { ...doc, strata: { 'm|c': { coinInjected: { n: 40, passes: 30 }, coinWithheld: { n: 40, passes: 15 }, injected: { n: 40, passes: 30 }, notInjected: { n: 40, passes: 15 } } } };
    const randomized = estimateEffect(doc, 'randomized-holdout', DEFAULT_EFFECT_RULES);
    expect(randomized.p).toBe(randomized.fisherP);
    expect(randomized.p!).toBeLessThan(0.01);
    const loo = estimateEffect(doc, 'stratified-loo', DEFAULT_EFFECT_RULES);
    // 0.75 - 0.375 = 0.375 over its SE: two-sided normal p.
    expect(loo.p).toBeCloseTo(waldP(loo)!, 15);
    expect(loo.p!).toBeLessThan(1e-3);
    expect([randomized.q, loo.q]).toEqual([null, null]);
    expect(waldP({ effect: null, se: null, lower: null, upper: null })).toBeNull();
  });
});
