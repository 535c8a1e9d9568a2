/**
 * The rule families a rule set can override. Features register their own family; a rule set is checked
 * against every registered family before it is defined. Registration order is the order problems and known
 * names are listed in.
 */
import type { RuleFamily } from './rule-family.js';

export class RuleFamilyRegistry {
  private readonly registered: RuleFamily[] = [];

  register(...families: RuleFamily[]): this {
    for (const family of families) {
      if (this.registered.some((f) => f.name === family.name)) throw new Error(`Rule family "${family.name}" is registered twice`);
      this.registered.push(family);
    }
    return this;
  }

  families(): readonly RuleFamily[] {
    return this.registered;
  }
}
