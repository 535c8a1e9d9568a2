import { z } from 'zod';
import { EXTERNAL_CHANGE_KINDS } from '../../../contracts/external.js';
import { LIMITS, limitedString } from '../../../contracts/limits.js';

export const CHANGE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

export const externalChangeBodySchema = z.strictObject({
  changeId: z.string().regex(CHANGE_ID_PATTERN, 'must be 1-128 of A-Z a-z 0-9 _ . : - starting with a letter or digit').optional(),
  kind: z.enum(EXTERNAL_CHANGE_KINDS),
  subject: limitedString(LIMITS.name, true).trim().min(1, 'must not be empty'),
  description: limitedString(LIMITS.text, false).trim().min(1, 'must not be empty'),
  occurredAt: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 instant with Z or an offset' }),
});
export type ExternalChangeBody = z.infer<typeof externalChangeBodySchema>;

export interface FieldProblem {
  field: string | null;
  reason: string;
}

export function validateExternalChangeBody(body: unknown): { ok: true; change: ExternalChangeBody } | { ok: false; problems: FieldProblem[] } {
  const parsed = externalChangeBodySchema.safeParse(body);
  if (parsed.success) return { ok: true, change: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ field: key, reason: 'unknown field' }))
        : [{ field: issue.path.length > 0 ? issue.path.map(String).join('.') : null, reason: issue.message }],
    ),
  };
}

/** The body is not a valid change (400); nothing was recorded. */
export class ExternalChangeRejectedError extends Error {
  constructor(readonly problems: FieldProblem[]) {
    super(`The change was not recorded: ${problems.length} problem(s)`);
    this.name = 'ExternalChangeRejectedError';
  }
}
