import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { RuleSetDefinedData } from '../../../contracts/analysis.js';
import { EVENT_STORE, type EventStore } from '../../event-store/event-store.port.js';
import { RULE_FAMILIES } from '../../rule-set-families.js';
import { defineRuleSet, type RuleSetInput } from '../../rule-sets/define-rule-set.js';

/** POST /rule-sets: define a rule set, checked against every registered rule family (InvalidRuleSetError, RuleSetExistsError). */
export class DefineRuleSetCommand extends Command<RuleSetDefinedData> {
  constructor(
    readonly input: RuleSetInput,
    readonly actor?: string,
  ) {
    super();
  }
}

@CommandHandler(DefineRuleSetCommand)
export class DefineRuleSetHandler implements ICommandHandler<DefineRuleSetCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ input, actor }: DefineRuleSetCommand): Promise<RuleSetDefinedData> {
    return defineRuleSet(this.store, RULE_FAMILIES, input, actor);
  }
}
