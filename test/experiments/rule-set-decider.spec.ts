import { RULE_FAMILIES } from '../../src/rule-set-families.js';
import { InvalidRuleSetError, ruleSetDecider, RuleSetExistsError, type DefineRuleSet } from '../../src/rule-sets/rule-set-decider.js';
import { deciderSpec } from '../support/decider-spec.js';

const define: DefineRuleSet = { kind: 'define', ruleSetId: 'wide-72', name: 'wider confound window', parameters: { confoundWindowHours: 72 }, basedOn: 'default' };
const defined = { type: 'RuleSetDefined', data: { ruleSetId: 'wide-72', name: 'wider confound window', parameters: { confoundWindowHours: 72 }, basedOn: 'default' } };
const ruleSet = deciderSpec(ruleSetDecider(RULE_FAMILIES));

describe('rule set: decide (given its stream, when defined, then RuleSetDefined or a refusal)', () => {
  it('a new id with parameters every family accepts is one RuleSetDefined', () => {
    ruleSet.given([]).when(define).then([defined as never]);
  });

  it('an id defined before is refused: rule sets are immutable', () => {
    ruleSet.given([defined]).when({ ...define, name: 'other' }).thenThrows(RuleSetExistsError, { ruleSetId: 'wide-72' });
  });

  it('parameters a family refuses are refused with {field, reason}, before the id is looked at', () => {
    ruleSet
      .given([defined])
      .when({ ...define, parameters: { confoundWindowHours: -1 } })
      .thenThrows(InvalidRuleSetError, (error) => expect(error.problems.map((p) => p.field)).toEqual(['confoundWindowHours']));
  });

  it('an id outside the pattern is refused', () => {
    ruleSet.given([]).when({ ...define, ruleSetId: '-bad id' }).thenThrows(InvalidRuleSetError, { message: 'Invalid rule set id "-bad id"' });
  });
});
