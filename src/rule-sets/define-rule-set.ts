/** Defining a rule set: handleCommand on stream `rule-set-<id>` with ruleSetDecider (rule-set-decider.ts). */
import { createHash } from 'node:crypto';
import type { RuleSetDefinedData } from '../../contracts/analysis.js';
import type { RuleValues } from '../../projections/machinery/projection.js';
import { apiMetadata } from '../common/commands/api-metadata.js';
import { handleCommand } from '../common/commands/handle-command.js';
import type { EventStore } from '../event-store/event-store.port.js';
import type { RuleFamilyRegistry } from './rule-family-registry.js';
import { ruleSetDecider } from './rule-set-decider.js';
import { ruleSetStreamId } from './rule-set-stream.js';

export interface RuleSetInput {
  ruleSetId?: string;
  name: string;
  parameters: RuleValues;
  basedOn?: string;
  description?: string;
}

/** `<name slug>-<8 hex of the content>` when no id is given: the same definition gets the same id. */
export function ruleSetIdFor(input: RuleSetInput): string {
  const slug = input.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'rules';
  const hash = createHash('sha256').update(JSON.stringify([input.name, input.parameters, input.basedOn ?? null])).digest('hex');
  return `${slug}-${hash.slice(0, 8)}`;
}

/** Throws InvalidRuleSetError (nothing appended) or RuleSetExistsError; returns the definition as recorded. */
export async function defineRuleSet(store: EventStore, families: RuleFamilyRegistry, input: RuleSetInput, actor?: string): Promise<RuleSetDefinedData> {
  const ruleSetId = input.ruleSetId ?? ruleSetIdFor(input);
  const command = { kind: 'define' as const, ...input, ruleSetId };
  const { state } = await handleCommand(store, ruleSetStreamId(ruleSetId), command, ruleSetDecider(families), { metadata: apiMetadata(actor) });
  return state!;
}
