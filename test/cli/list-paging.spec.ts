/** --limit / --offset paging of the list commands and their CSV (pure: no store). */
import { collectPages, pagingNote, pagingOptions, type Page } from '../../src/cli/support/list-paging.js';
import { rowsCsv } from '../../src/cli/support/rows-csv.js';
import { parseCsv } from '../support/parse-csv.js';

/** A list of `total` numbered rows served in pages of at most 500, as the API serves them. */
function served(total: number) {
  const calls: [number, number][] = [];
  const fetchPage = async (offset: number, limit: number): Promise<Page<number>> => {
    calls.push([offset, limit]);
    expect(limit).toBeLessThanOrEqual(500);
    return { items: Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => offset + i), total };
  };
  return { calls, fetchPage };
}

describe('list paging', () => {
  it('fetches every row by default, 500 at a time: 503 rows are 503 rows, not 500', async () => {
    const api = served(503);
    const page = await collectPages(api.fetchPage, pagingOptions({}));
    expect([page.items.length, page.total, page.items.at(-1)]).toEqual([503, 503, 502]);
    expect(api.calls).toEqual([[0, 500], [500, 500]]);
    expect(pagingNote(page, pagingOptions({}))).toBeUndefined();
  });

  it('--limit and --offset choose a window and the note says which rows of how many', async () => {
    const paging = pagingOptions({ limit: '600', offset: '10' });
    const page = await collectPages(served(1000).fetchPage, paging);
    expect([page.items.length, page.items[0], page.items.at(-1)]).toEqual([600, 10, 609]);
    expect(pagingNote(page, paging)).toBe('rows 11-610 of 1000 (--limit and --offset choose others)\n');
    const past = pagingOptions({ offset: '2000' });
    expect(pagingNote(await collectPages(served(1000).fetchPage, past), past)).toBe('no rows at offset 2000: the list has 1000 (--limit and --offset choose others)\n');
  });

  it('refuses a limit or offset that is not a count, as a usage error', () => {
    expect(() => pagingOptions({ limit: '0' })).toThrow(expect.objectContaining({ exitCode: 2, message: '--limit must be an integer >= 1, got 0' }));
    expect(() => pagingOptions({ offset: '-1' })).toThrow(expect.objectContaining({ exitCode: 2 }));
    expect(() => pagingOptions({ limit: 'all' })).toThrow(expect.objectContaining({ exitCode: 2 }));
  });
});

describe('rows as CSV', () => {
  it('writes numbers as numbers and nested fields as parent_field; parsing gives the numbers back', () => {
    const rows = [
      { model: '=cmd|calc', pass_rate: 0.30063605244263664, cost: null, baseline: { passes: 3, pass_rate: 0.75 }, tags: ['a', 'b'] },
      { model: 'm, "quoted"', pass_rate: 1e-7, cost: 0.04, baseline: { passes: 0, pass_rate: null }, tags: [] },
    ];
    const parsed = parseCsv(rowsCsv(rows));
    expect(Object.keys(parsed[0]!)).toEqual(['model', 'pass_rate', 'cost', 'baseline_passes', 'baseline_pass_rate', 'tags']);
    expect(parsed.map((r) => [r.model, Number(r.pass_rate), r.cost === '' ? null : Number(r.cost), Number(r.baseline_passes), r.tags])).toEqual([
      ["'=cmd|calc", 0.30063605244263664, null, 3, '["a","b"]'],
      ['m, "quoted"', 1e-7, 0.04, 0, '[]'],
    ]);
  });

  it('an empty list with columns is the header alone', () => {
    expect(rowsCsv([], ['model', 'pass_rate'])).toBe('model,pass_rate\n');
  });
});
