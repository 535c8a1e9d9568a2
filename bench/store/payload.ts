import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../../contracts/envelope.js';
import type { TestOutcomeRecordedData } from '../../contracts/eval.js';

/** Events of one eval run: what the benchmark appends as one batch (one stream per run). */
export interface RunBatch {
  streamId: string;
  events: NewEvent<'TestOutcomeRecorded', TestOutcomeRecordedData>[];
}

const MODELS = ['openai/gpt-4o', 'anthropic/claude-sonnet-4-5', 'openrouter/z-ai/glm-5', 'gemini/gemini-2.5-pro'];
const FORMATS = ['markdown', 'xml', 'tool'] as const;
const TESTS = ['hello', 'hello-patch', 'hello-ask', 'prime100', 'init-git', 'init-rust', 'whois-superuserlabs-ceo'];

/**
 * A TestOutcomeRecorded v2 event shaped like a row of gptme's current eval_results.csv: about 620 bytes of
 * JSON data plus ~150 bytes of metadata. Deterministic apart from the event id.
 */
export function makeOutcomeEvent(runId: string, index: number, occurredAt: string): NewEvent<'TestOutcomeRecorded', TestOutcomeRecordedData> {
  const model = MODELS[index % MODELS.length]!;
  const toolFormat = FORMATS[index % FORMATS.length]!;
  const test = TESTS[index % TESTS.length]!;
  const passed = index % 5 !== 0;
  const input = 1_200 + ((index * 37) % 9_000);
  const output = 150 + ((index * 13) % 2_000);
  const cacheRead = (index * 7) % 800;
  const generation = Math.round((3 + (index % 40) / 7) * 100) / 100;
  const dir = `${model}/${toolFormat}/${test}`;
  return {
    eventId: randomUUID(),
    type: 'TestOutcomeRecorded',
    schemaVersion: 2,
    data: {
      runId,
      suite: 'basic',
      test,
      model,
      rawModel: `${model}@${toolFormat}`,
      toolFormat,
      occurrence: 0,
      passed,
      score: { passed: passed ? 3 : 1, total: 3 },
      toolCalls: 2 + (index % 9),
      steps: 3 + (index % 11),
      tokens: { input, output, total: input + output, cacheRead, cacheCreation: (index * 3) % 400 },
      cacheHitRate: Math.round((cacheRead / input) * 1000) / 1000,
      costUsd: Math.round((input * 2.5e-6 + output * 1e-5) * 1e6) / 1e6,
      durations: { total: Math.round((generation + 0.41) * 100) / 100, generation, run: 0.38, eval: 0.03 },
      harnessCommit: 'd27f98d3a55451491d00bbd20035d328e34219b1',
      logDir: `logs/${dir}`,
      workspaceDir: `/tmp/gptme-evals/${test}`,
      suspectedInfraError: false,
    },
    metadata: {
      occurredAt,
      source: `gptme-csv:${runId}`,
      correlationId: `run-${runId}`,
      actor: 'bench',
    },
  };
}

/** `count` events cut into runs of `batchSize` (the last run may be shorter), stream ids prefixed by `prefix`. */
export function* runBatches(prefix: string, count: number, batchSize = 100): Generator<RunBatch> {
  for (let start = 0, run = 0; start < count; start += batchSize, run++) {
    const runId = `${prefix}-${String(run).padStart(6, '0')}`;
    const occurredAt = new Date(Date.UTC(2026, 0, 1) + run * 60_000).toISOString();
    const size = Math.min(batchSize, count - start);
    const events = Array.from({ length: size }, (_, i) => makeOutcomeEvent(runId, start + i, occurredAt));
    yield { streamId: `eval-run-${runId}`, events };
  }
}
