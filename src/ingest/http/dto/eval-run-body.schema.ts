import { z } from 'zod';
import { TOOL_FORMATS } from '../../../../contracts/eval.js';
import { injectedLessonSchema, withheldLessonSchema } from '../../../../contracts/exposure.js';
import { identifier, nameString, pathOrEmpty, testName } from '../../../../contracts/limits.js';
import type { RunProblem } from '../intake/run-problem.js';

const count = z.int().nonnegative();
const seconds = z.number().nonnegative();

/** Field-for-field the columns of the current `eval_results.csv` header; see EvalOutcomeBodyDto. */
export const evalOutcomeBodySchema = z
  .strictObject({
    model: nameString,
    toolFormat: z.enum(TOOL_FORMATS).nullable().optional(),
    test: testName,
    passed: z.boolean(),
    score: z.string().regex(/^\d+\/\d+$/, 'must be k/n (checkers passed / checkers)').optional(),
    toolCalls: count.optional(),
    numSteps: count.optional(),
    tokensInput: count.optional(),
    tokensOutput: count.optional(),
    tokensTotal: count.optional(),
    cacheReadTokens: count.optional(),
    cacheCreationTokens: count.optional(),
    cacheHitRate: z.number().min(0).max(1).optional(),
    costUsd: z.number().nonnegative().optional(),
    totalDuration: seconds.optional(),
    generationTime: seconds.optional(),
    runTime: seconds.optional(),
    evalTime: seconds.optional(),
    commitHash: identifier.optional(),
    logDir: pathOrEmpty.optional(),
    workspaceDir: pathOrEmpty.optional(),
    cases: z.array(z.strictObject({ name: nameString, passed: z.boolean(), durationS: seconds })).optional(),
    /** The outcome's exposure: recorded as LessonExposureRecorded (as POST /exposures does), not part of the run. */
    lessons: z
      .strictObject({
        injected: z.array(injectedLessonSchema).max(200).default([]),
        withheld: z.array(withheldLessonSchema).max(200).default([]),
        category: nameString.optional(),
      })
      .optional(),
  })
  .superRefine((o, ctx) => {
    requireTogether(o, ['tokensInput', 'tokensOutput', 'tokensTotal', 'cacheReadTokens', 'cacheCreationTokens'], ctx);
    requireTogether(o, ['totalDuration', 'generationTime', 'runTime', 'evalTime'], ctx);
  });
export type EvalOutcomeBody = z.infer<typeof evalOutcomeBodySchema>;

export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
export const runIdSchema = z.string().regex(RUN_ID_PATTERN, 'must be 1-128 of A-Z a-z 0-9 _ . : - starting with a letter or digit');
export const startedAtSchema = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 instant with Z or an offset' });

export const evalRunBodySchema = z.strictObject({
  runId: runIdSchema,
  startedAt: startedAtSchema,
  suite: nameString.optional(),
  source: identifier.optional(),
  outcomes: z.array(evalOutcomeBodySchema).min(1, 'a run needs at least one outcome'),
});
export type EvalRunBody = z.infer<typeof evalRunBodySchema>;

/** Validates a JSON run; every problem is reported, each as {row, field, reason}. */
export function validateEvalRunBody(body: unknown): { ok: true; run: EvalRunBody } | { ok: false; problems: RunProblem[] } {
  const parsed = evalRunBodySchema.safeParse(body);
  if (parsed.success) return { ok: true, run: parsed.data };
  return { ok: false, problems: parsed.error.issues.flatMap(toProblems) };
}

function toProblems(issue: z.core.$ZodIssue): RunProblem[] {
  const [first, index, ...rest] = issue.path;
  // Unknown keys come as one issue listing them all; report each as its own field.
  const fields = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
  return fields.map((key) => {
    const reason = issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message;
    if (first === 'outcomes' && typeof index === 'number') {
      return { row: index, field: joinPath([...rest, ...(key ? [key] : [])]), reason };
    }
    return { row: null, field: joinPath([...issue.path, ...(key ? [key] : [])]), reason };
  });
}

function joinPath(path: readonly PropertyKey[]): string | null {
  return path.length === 0 ? null : path.map(String).join('.');
}

function requireTogether(o: Record<string, unknown>, keys: string[], ctx: z.RefinementCtx): void {
  const present = keys.filter((k) => o[k] !== undefined);
  if (present.length === 0 || present.length === keys.length) return;
  for (const k of keys.filter((k) => o[k] === undefined)) {
    ctx.addIssue({ code: 'custom', path: [k], message: `is required when ${present.join(', ')} ${present.length === 1 ? 'is' : 'are'} given` });
  }
}
