/** `--limit` and `--offset` for the list commands: every row by default (page by page), never a silent cap. */
import { MAX_LIST_LIMIT } from '../../common/list-params.js';
import { CliError } from './known-errors.js';

export interface Page<T> {
  items: T[];
  total: number;
}

export interface Paging {
  /** Rows wanted; undefined: all of them. */
  limit: number | undefined;
  offset: number;
}

export function pagingOptions(o: { limit?: unknown; offset?: unknown }): Paging {
  const count = (name: string, value: unknown, min: number): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new CliError(`--${name} must be an integer >= ${min}, got ${String(value)}`, 2);
    return n;
  };
  return { limit: count('limit', o.limit, 1), offset: count('offset', o.offset, 0) ?? 0 };
}

/** The rows of `paging` fetched in pages of at most MAX_LIST_LIMIT, with the list's total. */
export async function collectPages<T>(fetchPage: (offset: number, limit: number) => Promise<Page<T>>, paging: Paging): Promise<Page<T>> {
  const items: T[] = [];
  let offset = paging.offset;
  for (;;) {
    const want = paging.limit === undefined ? MAX_LIST_LIMIT : Math.min(MAX_LIST_LIMIT, paging.limit - items.length);
    const page = await fetchPage(offset, want);
    items.push(...page.items);
    offset += page.items.length;
    const done = page.items.length === 0 || offset >= page.total || (paging.limit !== undefined && items.length >= paging.limit);
    if (done) return { items, total: page.total };
  }
}

/** Said on stderr when the rows shown are not the whole list, so stdout stays the table, CSV or JSON. */
export function pagingNote(page: Page<unknown>, paging: Paging): string | undefined {
  if (paging.offset === 0 && page.items.length >= page.total) return undefined;
  if (page.items.length === 0) return `no rows at offset ${paging.offset}: the list has ${page.total} (--limit and --offset choose others)\n`;
  return `rows ${paging.offset + 1}-${paging.offset + page.items.length} of ${page.total} (--limit and --offset choose others)\n`;
}
