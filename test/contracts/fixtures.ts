/** Valid example events shared by the contract specs. */
import type { EventMetadata } from '../../contracts/envelope.js';
import type { TestOutcomeRecordedV1, TestOutcomeRecordedV2 } from '../../contracts/eval.js';

export const metadata: EventMetadata = { occurredAt: '2026-08-22T02:50:22Z', source: 'gptme-csv:20260822_025022Z' };

export function outcomeV2(overrides: Partial<TestOutcomeRecordedV2> = {}): TestOutcomeRecordedV2 {
  return {
    runId: '20260822_025022Z',
    test: 'hello',
    model: 'openai/gpt-4o',
    rawModel: 'openai/gpt-4o',
    toolFormat: 'tool',
    occurrence: 0,
    passed: true,
    score: { passed: 2, total: 2 },
    toolCalls: 3,
    steps: 4,
    tokens: { input: 1200, output: 300, total: 1500, cacheRead: 800, cacheCreation: 0 },
    cacheHitRate: 0.5,
    costUsd: 0.0123,
    durations: { total: 12.5, generation: 8, run: 3.5, eval: 1 },
    harnessCommit: 'abc123',
    cases: [{ name: 'correct output', passed: true, durationS: 0.2 }],
    suspectedInfraError: false,
    ...overrides,
  };
}

export function outcomeV1(overrides: Partial<TestOutcomeRecordedV1> = {}): TestOutcomeRecordedV1 {
  const { rawModel: _raw, occurrence: _occ, ...v1 } = outcomeV2();
  return { ...v1, ...overrides };
}
