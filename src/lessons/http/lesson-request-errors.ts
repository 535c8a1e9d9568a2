/** Request-level refusals of /lessons (before any command is decided). */
import type { z } from 'zod';
import type { LessonProblem } from '../domain/lesson-errors.js';

/** The body does not have the right shape (400); nothing was written. */
export class LessonRequestInvalidError extends Error {
  constructor(readonly problems: LessonProblem[]) {
    super(`Invalid request body: ${problems.map((p) => (p.field ? `${p.field}: ${p.reason}` : p.reason)).join('; ')}`);
    this.name = 'LessonRequestInvalidError';
  }
}

/** PATCH without If-Match (428): an edit must say which revision it was made on. */
export class RevisionRequiredError extends Error {
  constructor(readonly lessonId: string) {
    super(`Send If-Match: "<revision>" with the revision you edited (GET /lessons/${lessonId} gives it as the ETag)`);
    this.name = 'RevisionRequiredError';
  }
}

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  throw new LessonRequestInvalidError(
    parsed.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ field: [...issue.path.map(String), key].join('.'), reason: 'unknown field' }))
        : [{ field: issue.path.length > 0 ? issue.path.map(String).join('.') : null, reason: issue.message.replace(/^Invalid input: /, '') }],
    ),
  );
}

/** The revision in an If-Match header: `"3"`, `W/"3"` or `3`. Null when absent; throws on anything else. */
export function revisionFromIfMatch(header: string | undefined): number | null {
  if (header === undefined || header.trim() === '') return null;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match) throw new LessonRequestInvalidError([{ field: 'If-Match', reason: `expected a lesson revision like "3", got ${header}` }]);
  return Number(match[1]);
}

export function etagOf(revision: number): string {
  return `"${revision}"`;
}
