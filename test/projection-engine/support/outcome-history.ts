/**
 * A deterministic little eval history for engine tests: runs of TestOutcomeRecorded events (valid v2 data)
 * over a few models, formats and tests, with some failures and suspected infra errors.
 */
import { createHash } from 'node:crypto';
import type { NewEvent } from '../../../contracts/envelope.js';
import type { TestOutcomeRecordedData } from '../../../contracts/eval.js';
import type { EventStore, StreamAppend } from '../../../src/event-store/event-store.port.js';

const MODELS = ['openai/gpt-4o', 'anthropic/claude-sonnet', 'openrouter/qwen', 'local/llama'];
const FORMATS = ['markdown', 'xml', 'tool', null] as const;
const TESTS = ['hello', 'prime100', 'fix-bug', 'read-file', 'git-commit', 'init-react'];

/** A uuid derived from a seed string (tests need stable, unique ids). */
export function seededUuid(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function pseudoRandom(seed: string): number {
  return parseInt(createHash('sha1').update(seed).digest('hex').slice(0, 8), 16) / 0x100000000;
}

/** Run number `run` (from 0) of a history identified by `tag`: `perRun` outcomes in one stream. */
export function outcomeRun(tag: string, run: number, perRun: number): StreamAppend {
  const runId = `${tag}-run-${run}`;
  const occurredAt = new Date(Date.UTC(2026, 0, 1) + run * 3600_000).toISOString();
  const events: NewEvent[] = [];
  for (let i = 0; i < perRun; i++) {
    const model = MODELS[(run + i) % MODELS.length]!;
    const toolFormat = FORMATS[i % FORMATS.length]!;
    const test = TESTS[(i * 7 + run) % TESTS.length]!;
    const roll = pseudoRandom(`${runId}/${i}`);
    const passed = roll < 0.6;
    const data: TestOutcomeRecordedData = {
      runId,
      test,
      model,
      rawModel: toolFormat ? `${model}@${toolFormat}` : model,
      toolFormat,
      occurrence: i,
      passed,
      suspectedInfraError: !passed && roll > 0.93,
    };
    events.push({
      eventId: seededUuid(`${runId}/${i}`),
      type: 'TestOutcomeRecorded',
      schemaVersion: 2,
      data,
      metadata: { occurredAt, source: `test:${tag}` },
    });
  }
  return { streamId: `eval-run-${runId}`, events, expectedRevision: 'no_stream' };
}

/** Appends runs [from, to) in appendMany calls of `runsPerAppend`; returns the number of events appended. */
export async function appendOutcomeRuns(
  store: EventStore,
  tag: string,
  from: number,
  to: number,
  perRun = 20,
  runsPerAppend = 10,
): Promise<number> {
  let appended = 0;
  for (let run = from; run < to; run += runsPerAppend) {
    const appends: StreamAppend[] = [];
    for (let r = run; r < Math.min(to, run + runsPerAppend); r++) appends.push(outcomeRun(tag, r, perRun));
    const results = await store.appendMany(appends);
    appended += results.reduce((sum, r) => sum + r.appended, 0);
  }
  return appended;
}
