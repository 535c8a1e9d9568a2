/** The body of POST /rule-sets, checked before anything else: types, unknown fields and the input limits. */
import { z } from 'zod';
import { freeText, identifier, nameString } from '../../contracts/limits.js';
import type { RuleSetInput } from '../rule-sets/define-rule-set.js';
import { InvalidRuleSetError } from '../rule-sets/rule-set-decider.js';

const ruleSetBodySchema = z.strictObject({
  ruleSetId: identifier.optional(),
  name: nameString,
  /** Checked by the rule families (define-rule-set.ts) and bounded as a whole by the event's schema. */
  parameters: z.record(z.string(), z.unknown()).optional(),
  basedOn: identifier.optional(),
  description: freeText.optional(),
});

export function ruleSetInputFromBody(body: unknown): RuleSetInput {
  const parsed = ruleSetBodySchema.safeParse(body ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ field: key, reason: 'unknown field' }))
        : [{ field: issue.path.map(String).join('.') || 'body', reason: issue.message.replace(/^Invalid input: /, '') }],
    );
    throw new InvalidRuleSetError(`Invalid rule set: ${problems.map((p) => `${p.field}: ${p.reason}`).join('; ')}`, problems);
  }
  const { parameters, ...rest } = parsed.data;
  return { ...rest, parameters: parameters ?? {} } as RuleSetInput;
}
