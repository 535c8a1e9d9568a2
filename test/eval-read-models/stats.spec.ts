import { fisherOneSidedGreater, fisherOneSidedLess } from '../../projections/stats/fisher.js';
import { flipRate, passEntropy } from '../../projections/stats/flips.js';
import { passAtK } from '../../projections/stats/pass-at-k.js';
import { wilsonInterval, wilsonLowerBound } from '../../projections/stats/wilson.js';

describe('Wilson interval', () => {
  it('4/4 at z=1 has lower bound 0.8 (by hand: (1 + 1/8 - 1/8) / (1 + 1/4))', () => {
    expect(wilsonLowerBound(4, 4)).toBeCloseTo(0.8, 12);
  });
  it('2/4 at z=1: lower (0.625 - sqrt(0.078125)) / 1.25 = 0.2763932, upper 0.7236068 (by hand)', () => {
    const { lower, upper } = wilsonInterval(2, 4, 1);
    expect(lower).toBeCloseTo(0.2763932, 6);
    expect(upper).toBeCloseTo(0.7236068, 6);
  });
  it('0/10 at z=1.96 has upper bound 0.2775 (published tables, Brown, Cai & DasGupta 2001)', () => {
    const { lower, upper } = wilsonInterval(0, 10, 1.96);
    expect(lower).toBe(0);
    expect(upper).toBeCloseTo(0.2775, 4);
  });
  it('gptme: 4/4 ranks below 56/59 (its documented example)', () => {
    expect(wilsonLowerBound(56, 59)).toBeGreaterThan(wilsonLowerBound(4, 4));
  });
  it('no tests: 0', () => {
    expect(wilsonLowerBound(0, 0)).toBe(0);
  });
});

describe('one-sided Fisher exact test', () => {
  it("lady tasting tea [[3,1],[1,3]]: p = 17/70 = 0.2429 (Fisher's published example)", () => {
    // baseline 3 passed 1 failed, recent 1 passed 3 failed: is recent worse?
    expect(fisherOneSidedLess(3, 1, 1, 3)).toBeCloseTo(17 / 70, 10);
  });
  it('[[4,0],[0,4]]: p = 1/C(8,4) = 1/70 (by hand)', () => {
    expect(fisherOneSidedLess(4, 0, 0, 4)).toBeCloseTo(1 / 70, 12);
  });
  it('no drop at all gives p = 1 on the "less" side', () => {
    expect(fisherOneSidedLess(2, 2, 4, 0)).toBeCloseTo(1, 12);
  });
  it('improvement side mirrors: [[0,4],[4,0]] recent better with p = 1/70', () => {
    expect(fisherOneSidedGreater(0, 4, 4, 0)).toBeCloseTo(1 / 70, 12);
  });
  it('10/10 then 0/5: p = 1/C(15,5) = 1/3003 (by hand)', () => {
    expect(fisherOneSidedLess(10, 0, 0, 5)).toBeCloseTo(1 / 3003, 12);
  });
});

describe('pass@k', () => {
  it('n=5, c=2: pass@1 = 0.4, pass@2 = 1 - C(3,2)/C(5,2) = 0.7 (by hand)', () => {
    expect(passAtK(5, 2, 1)).toBeCloseTo(0.4, 12);
    expect(passAtK(5, 2, 2)).toBeCloseTo(0.7, 12);
  });
  it('more passes than room for k failures: 1; no passes: 0', () => {
    expect(passAtK(3, 2, 2)).toBe(1);
    expect(passAtK(3, 0, 2)).toBe(0);
  });
  it('refuses k > n', () => {
    expect(() => passAtK(2, 1, 3)).toThrow(RangeError);
  });
});

describe('flip rate and entropy', () => {
  it('[T,F,T,T] flips twice in 3 steps', () => {
    expect(flipRate([true, false, true, true])).toBeCloseTo(2 / 3, 12);
  });
  it('constant series and single outcomes do not flip', () => {
    expect(flipRate([true, true, true])).toBe(0);
    expect(flipRate([false])).toBe(0);
  });
  it('entropy: 1 bit at 50%, 0.811278 bits at 75% (binary entropy tables), 0 when constant', () => {
    expect(passEntropy([true, false])).toBeCloseTo(1, 12);
    expect(passEntropy([true, true, true, false])).toBeCloseTo(0.811278, 6);
    expect(passEntropy([false, false])).toBe(0);
  });
});
