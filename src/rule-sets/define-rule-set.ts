/**
 * Defining a rule set: one `RuleSetDefined` as the first and only event of stream `rule-set-<id>`, so a rule set
 * is immutable (defining an id twice is refused: a new rule set is a new id). The parameters are checked
 * against every registered rule family (`rule-set-problems.ts`) before anything is appended.
 */
import { createHash, randomUUID } from 'node:crypto';
import { RuleSetDefined, type RuleSetDefinedData } from '../../contracts/analysis.js';
import type { RuleValues } from '../../projections/machinery/projection.js';
import { ConcurrencyError, type EventStore } from '../event-store/event-store.port.js';
import { RULE_SET_ID_PATTERN } from '../projection-engine/instances/instance-id.js';
import type { RuleSetProblem } from './rule-family.js';
import type { RuleFamilyRegistry } from './rule-family-registry.js';
import { ruleSetProblems } from './rule-set-problems.js';
import { ruleSetStreamId } from './rule-set-stream.js';

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

export async function defineRuleSet(store: EventStore, families: RuleFamilyRegistry, input: RuleSetInput, actor?: string): Promise<RuleSetDefinedData> {
  const ruleSetId = input.ruleSetId ?? ruleSetIdFor(input);
  if (!RULE_SET_ID_PATTERN.test(ruleSetId)) throw new InvalidRuleSetError(`Invalid rule set id "${ruleSetId}"`);
  const problems = ruleSetProblems(families, input.parameters);
  if (problems.length > 0) {
    const list = problems.map((p) => `${p.field}: ${p.reason}`).join('; ');
    throw new InvalidRuleSetError(`Invalid rule set parameters, nothing defined: ${list}`, problems);
  }
  const data: RuleSetDefinedData = {
    ruleSetId,
    name: input.name,
    parameters: input.parameters as RuleSetDefinedData['parameters'],
    ...(input.basedOn ? { basedOn: input.basedOn } : {}),
    ...(input.description ? { description: input.description } : {}),
  };
  const parsed = RuleSetDefined.schema.safeParse(data);
  if (!parsed.success) throw new InvalidRuleSetError(parsed.error.message);
  try {
    await store.appendToStream(
      ruleSetStreamId(ruleSetId),
      [{
        eventId: randomUUID(),
        type: RuleSetDefined.type,
        schemaVersion: RuleSetDefined.currentVersion,
        data: parsed.data,
        metadata: { occurredAt: new Date().toISOString(), source: 'api', ...(actor ? { actor } : {}) },
      }],
      { expectedRevision: 'no_stream' },
    );
  } catch (error) {
    if (error instanceof ConcurrencyError) throw new RuleSetExistsError(ruleSetId);
    throw error;
  }
  return parsed.data;
}
