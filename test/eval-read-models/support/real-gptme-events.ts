/** gptme's real history (../shared) as our importer turns it into TestOutcomeRecorded events, runs in folder order. */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { GivenEvent } from '../../../projections/machinery/testing.js';
import { buildEvalRunEvents } from '../../../src/ingest/eval-run-events.js';
import { readRunFolder } from '../../../src/ingest/gptme/read-run-folder.js';

export const REAL_RESULTS = path.resolve(process.cwd(), '../shared/fixtures/gptme/eval_results');

export async function realOutcomeEvents(): Promise<GivenEvent[]> {
  const events: GivenEvent[] = [];
  for (const folder of readdirSync(REAL_RESULTS).sort()) {
    const run = await readRunFolder(path.join(REAL_RESULTS, folder));
    for (const e of buildEvalRunEvents(run).events) {
      if (e.type === 'TestOutcomeRecorded') events.push({ type: e.type, data: e.data, schemaVersion: e.schemaVersion, metadata: e.metadata, eventId: e.eventId });
    }
  }
  return events;
}
