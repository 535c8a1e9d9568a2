/** The default rule set: a projection's own default rules. Stored as '' so it can be part of a key. */
export const DEFAULT_RULE_SET = '';

/** What a rule set id may look like (it is part of instance ids, URLs and CLI arguments). */
export const RULE_SET_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export interface InstanceIdentity {
  name: string;
  version: number;
  /** DEFAULT_RULE_SET for the default rules. */
  ruleSetId: string;
  /** 1 for the first build of (name, version, rule set); each rebuild takes the next. */
  generation: number;
}

/** e.g. `outcome-counts.v1.g1`, or `outcome-counts.v1.strict.g2` under rule set `strict`. */
export function formatInstanceId(identity: InstanceIdentity): string {
  const ruleSet = identity.ruleSetId === DEFAULT_RULE_SET ? '' : `.${identity.ruleSetId}`;
  return `${identity.name}.v${identity.version}${ruleSet}.g${identity.generation}`;
}

export class InvalidRuleSetIdError extends Error {
  constructor(readonly ruleSetId: string) {
    super(`Invalid rule set id "${ruleSetId}": use letters, digits, '_', '-' and '.' (at most 64, not starting with a symbol)`);
    this.name = 'InvalidRuleSetIdError';
  }
}

export function normaliseRuleSetId(ruleSetId: string | null | undefined): string {
  if (ruleSetId === undefined || ruleSetId === null || ruleSetId === DEFAULT_RULE_SET) return DEFAULT_RULE_SET;
  if (!RULE_SET_ID_PATTERN.test(ruleSetId)) throw new InvalidRuleSetIdError(ruleSetId);
  return ruleSetId;
}
