/** Rule sets: named, parameterised policies (thresholds, priors) that automated decisions cite. */
import { z } from 'zod';
import { defineEvent } from './event-definition.js';
import { boundedJsonObject, freeText, identifier, nameString } from './limits.js';

export const RuleSetDefinedSchema = z
  .strictObject({
    ruleSetId: identifier,
    name: nameString,
    /** JSON values only: stored as-is and read back by the policy that uses them. */
    parameters: boundedJsonObject(),
    /** The rule set this one derives from. */
    basedOn: identifier.optional(),
    description: freeText.optional(),
  })
  .refine((e) => e.basedOn !== e.ruleSetId, { message: 'a rule set cannot be based on itself', path: ['basedOn'] });
export type RuleSetDefinedData = z.infer<typeof RuleSetDefinedSchema>;

export const RULE_SET_DEFINED_VERSION = 1;
export const RuleSetDefined = defineEvent('RuleSetDefined', RULE_SET_DEFINED_VERSION, RuleSetDefinedSchema);

export const analysisEventDefinitions = [RuleSetDefined] as const;
