import { combineMerged, mergeChanges } from '../../projections/machinery/merged-rows.js';
import { increment, latest, remove, upsert, type ReadModelChange, type TableSpec } from '../../projections/machinery/read-model-changes.js';
import { canonical } from '../../projections/machinery/testing.js';

const tables: Record<string, TableSpec> = {
  t: { key: { k: 'text' }, columns: { n: 'int8', m: 'float8', label: 'text', at: 'timestamptz', who: 'text' } },
};

/** A random but valid change sequence over a few keys (never mixing latest and plain writes of a column). */
function randomChanges(seed: number, count: number): ReadModelChange[] {
  let x = seed;
  const next = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  const changes: ReadModelChange[] = [];
  for (let i = 0; i < count; i++) {
    const key = { k: `k${Math.floor(next() * 4)}` };
    const r = next();
    if (r < 0.35) changes.push(increment('t', key, { n: 1 + Math.floor(next() * 3), m: 0.5 }));
    else if (r < 0.55) changes.push(upsert('t', key, { label: `v${i}`, n: Math.floor(next() * 10) }));
    else if (r < 0.85) {
      const at = new Date(Date.UTC(2026, 0, 1 + Math.floor(next() * 30))).toISOString();
      changes.push(latest('t', key, 'at', { at, who: `w${i}` }));
    } else changes.push(remove('t', key));
  }
  return changes;
}

describe('merging read-model changes', () => {
  it('combining the merges of consecutive batches equals merging all their changes at once', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const changes = randomChanges(seed, 40);
      const cut = seed % 41;
      const whole = mergeChanges(tables, changes);
      const combined = combineMerged(tables, mergeChanges(tables, changes.slice(0, cut)), mergeChanges(tables, changes.slice(cut)));
      expect(canonical([...combined.entries()].sort())).toBe(canonical([...whole.entries()].sort()));
    }
  });

  it('refuses changes that do not fit the declared tables', () => {
    expect(() => mergeChanges(tables, [increment('t', { k: 'a' }, { label: 1 })])).toThrow(/numeric column/);
    expect(() => mergeChanges(tables, [upsert('t', { k: 'a' }, { nope: 1 })])).toThrow(/not a declared column/);
    expect(() => mergeChanges(tables, [upsert('other', { k: 'a' }, {})])).toThrow(/undeclared table/);
    expect(() => mergeChanges(tables, [upsert('t', {}, { label: 'x' })])).toThrow(/key column k is missing/);
    expect(() => mergeChanges(tables, [latest('t', { k: 'a' }, 'at', { at: '2026-01-01', label: 'x' }), upsert('t', { k: 'a' }, { label: 'y' })])).toThrow(/written both/);
  });
});
