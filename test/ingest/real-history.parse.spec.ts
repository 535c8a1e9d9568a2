import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildEvalRunEvents } from '../../src/ingest/eval-run-events.js';
import { readRunFolder, type GptmeRun } from '../../src/ingest/gptme/read-run-folder.js';
import { validateNewEvent } from '../../contracts/catalogue.js';
import type { TestOutcomeRecordedData } from '../../contracts/eval.js';

const GPTME = path.resolve(process.cwd(), '../shared/fixtures/gptme/eval_results');
const present = existsSync(GPTME);
const describeReal = present ? describe : describe.skip;
const title = present
  ? 'the real gptme history (590 runs) parses'
  : 'NOT RUN: the real gptme history parse tests need ../shared/fixtures/gptme, which is absent';

describeReal(title, () => {
  const runs = new Map<string, GptmeRun>();

  beforeAll(async () => {
    for (const folder of readdirSync(GPTME).sort()) runs.set(folder, await readRunFolder(path.join(GPTME, folder)));
  });

  it('reads every run with the row count the files have (counted here by lines)', () => {
    expect(runs.size).toBe(590);
    let total = 0;
    for (const [folder, run] of runs) {
      const lines = readFileSync(path.join(GPTME, folder, 'eval_results.csv'), 'utf8').split(/\r?\n/).filter((l) => l !== '');
      expect([folder, run.outcomes.length]).toEqual([folder, lines.length - 1]);
      total += run.outcomes.length;
    }
    expect(total).toBe(23_944);
  });

  it('attaches all 89 cases.csv files and warns about none', () => {
    const attached = [...runs.values()].flatMap((r) => r.outcomes).filter((o) => o.cases !== undefined).length;
    expect(attached).toBe(89);
    expect([...runs.values()].flatMap((r) => r.warnings)).toEqual([]);
  });

  it('every event it produces passes the event catalogue', () => {
    let events = 0;
    for (const run of runs.values()) {
      for (const event of buildEvalRunEvents(run).events) {
        validateNewEvent(event);
        events++;
      }
    }
    expect(events).toBe(23_944 + 590);
  });

  it('a legacy model@format row (20250912_025203Z line 2)', () => {
    expect(runs.get('20250912_025203Z')!.outcomes[0]).toEqual({
      line: 2,
      rawModel: 'anthropic/claude-3-5-haiku-20241022@tool',
      model: 'anthropic/claude-3-5-haiku-20241022',
      toolFormat: 'tool',
      test: 'hello',
      passed: true,
      durations: { total: 4.18, generation: 4.17, run: 0.01, eval: 0 },
      logDir: '/home/appuser/.local/share/gptme/logs/2025-09-12-gptme-evals-anthropic--claude-3-5-haiku-20241022-tool-21996',
      workspaceDir:
        '/home/appuser/.local/share/gptme/logs/2025-09-12-gptme-evals-anthropic--claude-3-5-haiku-20241022-tool-21996/workspace',
    });
  });

  it('a current-header row with cost and cache tokens, and its cases (20260822_025022Z line 32)', () => {
    const outcome = runs.get('20260822_025022Z')!.outcomes.find((o) => o.line === 32);
    expect(outcome).toEqual({
      line: 32,
      rawModel: 'openai/gpt-4o',
      model: 'openai/gpt-4o',
      toolFormat: 'markdown',
      test: 'hello',
      passed: true,
      score: { passed: 2, total: 2 },
      toolCalls: 0,
      steps: 2,
      tokens: { input: 1420, output: 47, total: 1467, cacheRead: 1024, cacheCreation: 0 },
      cacheHitRate: 0.41898527004909986,
      costUsd: 0.010365,
      durations: { total: 7.51, generation: 7.49, run: 0.02, eval: 0 },
      harnessCommit: 'v0.33.0',
      logDir: '/home/appuser/.local/share/gptme/logs/2026-08-22-gptme-evals-openai--gpt-4o-markdown-2b74a439',
      workspaceDir: '/home/appuser/.local/share/gptme/logs/2026-08-22-gptme-evals-openai--gpt-4o-markdown-2b74a439/workspace',
      cases: [
        { name: 'correct output', passed: true, durationS: 0 },
        { name: 'correct file', passed: true, durationS: 0 },
      ],
    });
  });

  it('an infra-error row: failed in 1.64 s with zero tokens (20260822_025022Z line 2)', () => {
    const run = runs.get('20260822_025022Z')!;
    const { events } = buildEvalRunEvents(run);
    const outcome = events.find((e) => {
      const data = e.data as TestOutcomeRecordedData;
      return data.rawModel === 'anthropic/claude-haiku-4-5' && data.toolFormat === 'tool' && data.test === 'hello';
    });
    expect(outcome?.data).toMatchObject({
      runId: '20260822_025022Z',
      passed: false,
      tokens: { input: 0, output: 0, total: 0, cacheRead: 0, cacheCreation: 0 },
      durations: { total: 1.64, generation: 1.64, run: 0, eval: 0 },
      harnessCommit: 'v0.33.0',
      suspectedInfraError: true,
      occurrence: 0,
    });
    expect(outcome?.metadata).toEqual({ occurredAt: '2026-08-22T02:50:22.000Z', source: 'gptme-csv:20260822_025022Z' });
  });

  it('the 2024-09 cases.csv with multi-line Code cells (20240927_165642Z openai/gpt-4o hello)', () => {
    const outcome = runs.get('20240927_165642Z')!.outcomes.find((o) => o.test === 'hello');
    expect(outcome?.toolFormat).toBeNull();
    expect(outcome?.cases).toEqual([
      { name: 'correct output', passed: true, durationS: 1.6689300537109375e-6 },
      { name: 'correct file', passed: true, durationS: 1.1920928955078125e-6 },
    ]);
  });
});
