/**
 * A rule set is defined once: one `RuleSetDefined` as the first and only event of its stream, so it is
 * immutable (a new rule set is a new id). The parameters are checked against every registered rule family
 * (`rule-set-problems.ts`) before anything is decided.
 */
import { RuleSetDefined, type RuleSetDefinedData } from '../../contracts/analysis.js';
import type { RuleValues } from '../../projections/machinery/projection.js';
import type { Decider } from '../common/commands/decider.js';
import { RULE_SET_ID_PATTERN } from '../projection-engine/instances/instance-id.js';
import type { RuleSetProblem } from './rule-family.js';
import type { RuleFamilyRegistry } from './rule-family-registry.js';
import { ruleSetProblems } from './rule-set-problems.js';

export class RuleSetExistsError extends Error {
  constructor(readonly ruleSetId: string) {
    super(`Rule set "${ruleSetId}" is already defined; rule sets are immutable, define a new id`);
    this.name = 'RuleSetExistsError';
  }
}

export class InvalidRuleSetError extends Error {
  constructor(message: string, readonly problems: RuleSetProblem[] = []) {
    super(message);
    this.name = 'InvalidRuleSetError';
  }
}

export interface DefineRuleSet {
  kind: 'define';
  ruleSetId: string;
  name: string;
  parameters: RuleValues;
  basedOn?: string;
  description?: string;
}

export type RuleSetEvent = { type: 'RuleSetDefined'; data: RuleSetDefinedData };

/** The decider of a rule set's stream, checking parameters against `families`. State: its definition, or null. */
export function ruleSetDecider(families: RuleFamilyRegistry): Decider<DefineRuleSet, RuleSetDefinedData | null, RuleSetEvent> {
  return {
    initialState: () => null,
    evolve: (state, event) => (event.type === RuleSetDefined.type ? event.data : state),
    decide(command, defined) {
      if (!RULE_SET_ID_PATTERN.test(command.ruleSetId)) throw new InvalidRuleSetError(`Invalid rule set id "${command.ruleSetId}"`);
      const problems = ruleSetProblems(families, command.parameters);
      if (problems.length > 0) {
        const list = problems.map((p) => `${p.field}: ${p.reason}`).join('; ');
        throw new InvalidRuleSetError(`Invalid rule set parameters, nothing defined: ${list}`, problems);
      }
      const parsed = RuleSetDefined.schema.safeParse({
        ruleSetId: command.ruleSetId,
        name: command.name,
        parameters: command.parameters,
        ...(command.basedOn ? { basedOn: command.basedOn } : {}),
        ...(command.description ? { description: command.description } : {}),
      });
      if (!parsed.success) {
        const fieldProblems = parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.') || 'ruleSet', reason: i.message }));
        throw new InvalidRuleSetError(`Invalid rule set: ${fieldProblems.map((p) => `${p.field}: ${p.reason}`).join('; ')}`, fieldProblems);
      }
      if (defined) throw new RuleSetExistsError(command.ruleSetId);
      return [{ type: 'RuleSetDefined', data: parsed.data }];
    },
  };
}
