/** Parameters of the CI gate (GET /eval-runs/:runId/ci-gate and `lessonloop ci-gate`): zod, strings in (query or argv). */
import { z } from 'zod';
import type { CiGateRules } from '../../../projections/eval/ci-gate.js';
import type { CiGateBaseline } from '../../../projections/eval/ci-gate-input.js';
import { LIMITS } from '../../../contracts/limits.js';

const level = z.coerce.number().gt(0, 'must be in (0, 1)').lt(1, 'must be in (0, 1)');
const identifier = z.string().min(1).refine((v) => Buffer.byteLength(v, 'utf8') <= LIMITS.identifier, `at most ${LIMITS.identifier} bytes`);

export const ciGateParamsSchema = z
  .strictObject({
    /** One named baseline run, or the `last` runs before the candidate (default: every run the trends window keeps). */
    baseline: identifier.optional(),
    last: z.coerce.number().int('must be an integer').min(1).optional(),
    fdr: level.optional(),
    method: z.enum(['bh', 'by', 'none']).optional(),
    minDrop: z.coerce.number().min(0, 'must be in [0, 1]').max(1, 'must be in [0, 1]').optional(),
    flaky: z.enum(['test', 'exclude']).optional(),
    /** Defaults from this rule set's `ci-gate` rules, baselines and flaky thresholds from its trends instance. */
    ruleSet: identifier.optional(),
  })
  .superRefine((p, ctx) => {
    if (p.baseline !== undefined && p.last !== undefined) ctx.addIssue({ code: 'custom', path: ['last'], message: 'give baseline or last, not both' });
  });
export type CiGateParams = z.infer<typeof ciGateParamsSchema>;

/**
 * The gate's rules and baseline from the parameters over `base` (the rule set's, else the defaults); `window`:
 * runs a trends document keeps (the candidate among them).
 */
export function ciGateOptions(p: CiGateParams, window: number, base: CiGateRules): { rules: CiGateRules; baseline: CiGateBaseline } {
  const rules: CiGateRules = {
    ...base,
    ...(p.fdr !== undefined ? { fdrLevel: p.fdr } : {}),
    ...(p.method !== undefined ? { fdrMethod: p.method } : {}),
    ...(p.minDrop !== undefined ? { minDrop: p.minDrop } : {}),
    ...(p.flaky !== undefined ? { flaky: p.flaky } : {}),
  };
  if (p.last !== undefined && p.last > window - 1) throw new CiGateInputError(`last: at most ${window - 1} (the trends window keeps ${window} runs a series)`);
  return { rules, baseline: p.baseline !== undefined ? { run: p.baseline } : { last: p.last ?? window - 1 } };
}

/** A request the data cannot answer as asked (400 / exit code 2). */
export class CiGateInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CiGateInputError';
  }
}

/** No eval run with this id (404 / exit code 2). */
export class UnknownEvalRunError extends Error {
  constructor(readonly runId: string) {
    super(`no eval run ${JSON.stringify(runId)}`);
    this.name = 'UnknownEvalRunError';
  }
}
