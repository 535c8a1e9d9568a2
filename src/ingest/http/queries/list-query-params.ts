import { z } from 'zod';
import { instant, listLimit, MAX_LIST_LIMIT } from '../../../common/list-params.js';
import { decodeCursor, type KeysetCursor } from './keyset-cursor.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = MAX_LIST_LIMIT;

/** The paging and time-window query parameters every list endpoint shares. */
export const pageParamsShape = {
  limit: listLimit.default(DEFAULT_PAGE_SIZE),
  cursor: z
    .string()
    .transform((text, ctx): KeysetCursor => {
      const cursor = decodeCursor(text);
      if (cursor === null) {
        ctx.addIssue({ code: 'custom', message: 'is not a cursor returned by this endpoint' });
        return z.NEVER;
      }
      return cursor;
    })
    .optional(),
  /** Inclusive. */
  from: instant.optional(),
  /** Exclusive. */
  to: instant.optional(),
};

export interface QueryProblem {
  field: string | null;
  reason: string;
}

export class InvalidQueryError extends Error {
  constructor(readonly problems: QueryProblem[]) {
    super(`Invalid query parameters: ${problems.map((p) => `${p.field ?? 'query'} ${p.reason}`).join('; ')}`);
    this.name = 'InvalidQueryError';
  }
}

/** Parses query parameters with `schema`; unknown parameters are refused so a typo does not silently widen a filter. */
export function parseQueryParams<T>(schema: z.ZodType<T>, query: unknown): T {
  const parsed = schema.safeParse(query ?? {});
  if (parsed.success) return parsed.data;
  throw new InvalidQueryError(
    parsed.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ field: key, reason: 'unknown query parameter' }))
        : [{ field: issue.path.length > 0 ? issue.path.map(String).join('.') : null, reason: issue.message }],
    ),
  );
}
