/**
 * python-format.ts against Python itself: test/fixtures/python-format/cases.json was written by Python 3
 * (generate.py beside it) over every k/n with n <= 40, every k/256 (exact binary ties), decimal near-ties and a
 * few extremes. Each column is compared as printed text.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pythonFixed, pythonPercent, pythonRepr, pythonRound } from '../../projections/stats/python-format.js';

interface Cases {
  python: string;
  columns: string[];
  cases: string[][];
}

const fixture = JSON.parse(readFileSync(path.resolve(process.cwd(), 'test/fixtures/python-format/cases.json'), 'utf8')) as Cases;
const ours: Record<string, (x: number) => string> = {
  x: (x) => pythonRepr(x),
  round3: (x) => pythonRepr(pythonRound(x, 3)),
  round1: (x) => pythonRepr(pythonRound(x, 1)),
  fixed3: (x) => pythonFixed(x, 3),
  fixed0: (x) => pythonFixed(x, 0),
  percent0: (x) => pythonPercent(x, 0),
  percent1: (x) => pythonPercent(x, 1),
};

describe(`Python ${fixture.python}'s round(), repr() and fixed/percent formats`, () => {
  it('the fixture covers the grid (926 values)', () => {
    expect(fixture.cases).toHaveLength(926);
    expect(fixture.columns).toEqual(Object.keys(ours));
  });

  for (const [index, column] of fixture.columns.entries()) {
    it(`${column} equals Python's text for every value`, () => {
      const mismatches = fixture.cases
        .map((row) => ({ x: row[0]!, python: row[index]!, ours: ours[column]!(Number(row[0])) }))
        .filter((c) => c.python !== c.ours);
      expect(mismatches).toEqual([]);
    });
  }

  it('ties go to even on the exact binary value, where toFixed and Math.round go up', () => {
    expect(pythonRound(0.5625, 3)).toBe(0.562);
    expect(Math.round(0.5625 * 1000) / 1000).toBe(0.563);
    expect(pythonPercent(5 / 8, 0)).toBe('62%');
    expect(`${((5 / 8) * 100).toFixed(0)}%`).toBe('63%');
    expect(pythonRound(0.0005, 3)).toBe(0.001); // 0.0005 is a hair above in binary: no tie
    expect(pythonRound(2.675, 2)).toBe(2.67); // 2.675 is a hair below in binary
  });

  it('writes non-finite values as Python does and refuses impossible decimal places', () => {
    expect([pythonFixed(Number.NaN, 3), pythonFixed(-Infinity, 1), pythonPercent(Infinity, 0)]).toEqual(['nan', '-inf', 'inf%']);
    expect(() => pythonFixed(1, -1)).toThrow(RangeError);
    expect(() => pythonRound(1, 1.5)).toThrow(RangeError);
  });
});
