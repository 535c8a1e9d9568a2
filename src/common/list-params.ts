/** Query-parameter pieces every list endpoint shares: instants, the one page-size ceiling, offset paging. */
import { z } from 'zod';

/** The most rows any list answers in one page. */
export const MAX_LIST_LIMIT = 500;

export const instant = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 instant with Z or an offset' });

export const listLimit = z.coerce.number().int('must be an integer').min(1).max(MAX_LIST_LIMIT);
export const listOffset = z.coerce.number().int('must be an integer').min(0);
export const sortOrder = z.enum(['asc', 'desc'], { error: 'must be asc or desc' });

/** One page of an already filtered and sorted list; `limit` undefined: everything from `offset` on. */
export function page<T>(items: readonly T[], limit: number | undefined, offset: number) {
  const slice = limit === undefined ? items.slice(offset) : items.slice(offset, offset + limit);
  return { items: slice, total: items.length, offset, limit: limit ?? null };
}
