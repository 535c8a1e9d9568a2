import type { NewEvent } from '../../contracts/envelope.js';
import { canonicalJson } from './canonical-json.js';

const MAX_DIFFERENCES = 10;

/**
 * How a submitted run differs from the stored one, in words; empty when it is a replay. `source` on the run
 * event is left out: the same run sent through another channel (CSV after JSON, HTTP after the CLI import)
 * is the same fact.
 */
export function runDifferences(stored: readonly NewEvent[], submitted: readonly NewEvent[]): string[] {
  const differences: string[] = [];
  const storedById = new Map(stored.map((e) => [e.eventId, e]));
  const submittedIds = new Set(submitted.map((e) => e.eventId));
  for (const event of submitted) {
    const previous = storedById.get(event.eventId);
    if (!previous) differences.push(`${describe(event)} is not in the stored run`);
    else if (previous.type !== event.type || canonicalJson(comparable(previous)) !== canonicalJson(comparable(event))) {
      differences.push(`${describe(event)} differs: ${changedFields(comparable(previous), comparable(event)).join(', ')}`);
    }
  }
  for (const event of stored) if (!submittedIds.has(event.eventId)) differences.push(`stored ${describe(event)} is missing from the submitted run`);
  if (differences.length > MAX_DIFFERENCES) {
    return [...differences.slice(0, MAX_DIFFERENCES), `... and ${differences.length - MAX_DIFFERENCES} more`];
  }
  return differences;
}

function comparable(event: NewEvent): Record<string, unknown> {
  const data = JSON.parse(JSON.stringify(event.data)) as Record<string, unknown>;
  if (event.type === 'EvalRunRecorded') delete data.source;
  return data;
}

function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.filter((k) => canonicalJson(before[k]) !== canonicalJson(after[k]));
}

function describe(event: NewEvent): string {
  const data = event.data as Record<string, unknown>;
  if (event.type === 'TestOutcomeRecorded') {
    const occurrence = data.occurrence ? ` #${String(data.occurrence)}` : '';
    return `outcome ${String(data.rawModel)}${data.toolFormat ? ` (${String(data.toolFormat)})` : ''} / ${String(data.test)}${occurrence}`;
  }
  if (event.type === 'EvalRunRecorded') return 'the run summary';
  return `event ${event.type} ${event.eventId}`;
}
