/** Server-side sorting of list answers: over the whole filtered list, before a page is cut from it. */
export type SortOrder = 'asc' | 'desc';

type Sortable = string | number | boolean | null | undefined;

/**
 * Rows ordered by `value`; nulls (and undefined) always last, whatever the order; ties keep the order the rows
 * came in (their ranking), so a page boundary never reshuffles equal rows between requests.
 */
export function sortRows<T>(rows: readonly T[], value: (row: T) => Sortable, order: SortOrder): T[] {
  const sign = order === 'asc' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, key: value(row) }))
    .sort((a, b) => {
      const x = a.key;
      const y = b.key;
      const xMissing = x === null || x === undefined;
      const yMissing = y === null || y === undefined;
      if (xMissing || yMissing) return xMissing === yMissing ? a.index - b.index : xMissing ? 1 : -1;
      if (x === y) return a.index - b.index;
      return (x < y ? -1 : 1) * sign;
    })
    .map((entry) => entry.row);
}
