import path from 'node:path';
import { readRunFolder } from '../../src/ingest/gptme/read-run-folder.js';
import { IngestError } from '../../src/ingest/gptme/ingest-issue.js';

const VALID = path.resolve(process.cwd(), 'test/fixtures/gptme-mini/valid');
const read = (run: string) => readRunFolder(path.join(VALID, run));

/** One fixture run per header variant gptme has written; every field asserted. */
describe('readRunFolder: one run per eval_results.csv header variant', () => {
  it('2024-09 header with stdout file columns: legacy model without format, cases.csv with multi-line Code', async () => {
    const run = await read('20240927_120000Z');
    expect(run.runId).toBe('20240927_120000Z');
    expect(run.startedAt).toBe('2024-09-27T12:00:00.000Z');
    expect(run.source).toBe('gptme-csv:20240927_120000Z');
    expect(run.warnings).toEqual([]);
    expect(run.outcomes).toEqual([
      {
        line: 2,
        rawModel: 'openai/gpt-4o',
        model: 'openai/gpt-4o',
        toolFormat: null,
        test: 'hello',
        passed: true,
        durations: { total: 5.91, generation: 5.9, run: 0.01, eval: 0 },
        cases: [
          { name: 'correct output', passed: true, durationS: 1.6689300537109375e-6 },
          { name: 'correct file', passed: false, durationS: 0.5 },
        ],
      },
      {
        line: 3,
        rawModel: 'openai/gpt-4o',
        model: 'openai/gpt-4o',
        toolFormat: null,
        test: 'prime100',
        passed: false,
        durations: { total: 3.5, generation: 3.4, run: 0.1, eval: 0 },
        harnessCommit: 'abc1234',
      },
    ]);
  });

  it('2024-10 basic header (BOM, CRLF): model@format splits only on a real format; cases under <model>@<format>/', async () => {
    const run = await read('20241003_120000Z');
    expect(run.outcomes).toEqual([
      {
        line: 2,
        rawModel: 'openai/gpt-4o@tool',
        model: 'openai/gpt-4o',
        toolFormat: 'tool',
        test: 'hello-patch',
        passed: true,
        durations: { total: 8.17, generation: 8.16, run: 0.01, eval: 0 },
        cases: [{ name: 'patch applied', passed: true, durationS: 0.125 }],
      },
      {
        line: 3,
        rawModel: 'openrouter/z-ai/glm-5@z-ai',
        model: 'openrouter/z-ai/glm-5@z-ai',
        toolFormat: null,
        test: 'hello',
        passed: false,
        durations: { total: 12.5, generation: 12.4, run: 0.1, eval: 0 },
        harnessCommit: 'v0.20.0',
      },
    ]);
  });

  it('2025-09 header with Log Dir and Workspace Dir', async () => {
    const run = await read('20250912_120000Z');
    expect(run.outcomes).toEqual([
      {
        line: 2,
        rawModel: 'anthropic/claude-3-5-haiku-20241022@xml',
        model: 'anthropic/claude-3-5-haiku-20241022',
        toolFormat: 'xml',
        test: 'hello-ask',
        passed: false,
        durations: { total: 4.99, generation: 4.98, run: 0.01, eval: 0 },
        logDir: '/logs/a',
        workspaceDir: '/logs/a/workspace',
      },
      {
        line: 3,
        rawModel: 'anthropic/claude-3-5-haiku-20241022@markdown',
        model: 'anthropic/claude-3-5-haiku-20241022',
        toolFormat: 'markdown',
        test: 'hello-ask',
        passed: false,
        durations: { total: 5, generation: 4.9, run: 0.1, eval: 0 },
        logDir: '/logs/b',
        workspaceDir: '/logs/b/workspace',
      },
    ]);
  });

  it('2026-02 Tool Format column: it wins over a suffix; empty falls back to the suffix', async () => {
    const run = await read('20260219_120000Z');
    expect(run.outcomes).toEqual([
      {
        line: 2,
        rawModel: 'anthropic/claude-haiku-4-5',
        model: 'anthropic/claude-haiku-4-5',
        toolFormat: 'tool',
        test: 'hello',
        passed: true,
        durations: { total: 10.5, generation: 10.4, run: 0.1, eval: 0 },
        harnessCommit: 'v0.28.2-1432-g3be81fb77',
        logDir: '/logs/c',
        workspaceDir: '/logs/c/workspace',
      },
      {
        line: 3,
        rawModel: 'openai/gpt-4o@markdown',
        model: 'openai/gpt-4o',
        toolFormat: 'markdown',
        test: 'init-git',
        passed: true,
        durations: { total: 7.25, generation: 7, run: 0.25, eval: 0 },
        harnessCommit: 'v0.28.2-1432-g3be81fb77',
      },
      {
        line: 4,
        rawModel: 'openai/gpt-4o@tool',
        model: 'openai/gpt-4o',
        toolFormat: 'xml',
        test: 'init-git',
        passed: false,
        durations: { total: 20, generation: 19, run: 1, eval: 0 },
        harnessCommit: 'v0.28.2-1432-g3be81fb77',
        logDir: '/logs/e',
        workspaceDir: '/logs/e/workspace',
      },
    ]);
  });

  it('2026-05 Score column: k/n or empty', async () => {
    const run = await read('20260513_120000Z');
    expect(run.outcomes.map((o) => [o.line, o.test, o.passed, o.score])).toEqual([
      [2, 'prime100', true, { passed: 2, total: 2 }],
      [3, 'hello', false, undefined],
    ]);
    expect(run.outcomes[0]).toEqual({
      line: 2,
      rawModel: 'anthropic/claude-sonnet-4-6',
      model: 'anthropic/claude-sonnet-4-6',
      toolFormat: 'xml',
      test: 'prime100',
      passed: true,
      score: { passed: 2, total: 2 },
      durations: { total: 30.5, generation: 30, run: 0.5, eval: 0 },
      harnessCommit: 'v0.31.0',
      logDir: '/logs/f',
      workspaceDir: '/logs/f/workspace',
    });
    expect(run.outcomes[1]).not.toHaveProperty('score');
  });

  it('2026-06 Tool Calls column', async () => {
    const run = await read('20260613_120000Z');
    expect(run.outcomes).toEqual([
      {
        line: 2,
        rawModel: 'openai/gpt-4o-mini',
        model: 'openai/gpt-4o-mini',
        toolFormat: 'markdown',
        test: 'hello-patch',
        passed: false,
        score: { passed: 1, total: 2 },
        toolCalls: 3,
        durations: { total: 15.5, generation: 15, run: 0.4, eval: 0.1 },
        harnessCommit: 'v0.31.0',
        logDir: '/logs/h',
        workspaceDir: '/logs/h/workspace',
      },
    ]);
  });

  it('current header: steps, tokens, cache, cost (empty cost -> absent); cases under <model>/<format>/<test>', async () => {
    const run = await read('20260711_120000Z');
    expect(run.outcomes).toEqual([
      {
        line: 2,
        rawModel: 'anthropic/claude-haiku-4-5',
        model: 'anthropic/claude-haiku-4-5',
        toolFormat: 'tool',
        test: 'hello',
        passed: true,
        score: { passed: 2, total: 2 },
        toolCalls: 4,
        steps: 5,
        tokens: { input: 12000, output: 300, total: 12300, cacheRead: 8000, cacheCreation: 1500 },
        cacheHitRate: 0.6667,
        costUsd: 0.01234,
        durations: { total: 20.5, generation: 20, run: 0.4, eval: 0.1 },
        harnessCommit: 'v0.32.1',
        logDir: '/logs/i',
        workspaceDir: '/logs/i/workspace',
      },
      {
        line: 3,
        rawModel: 'anthropic/claude-haiku-4-5',
        model: 'anthropic/claude-haiku-4-5',
        toolFormat: 'tool',
        test: 'hello',
        passed: false,
        score: { passed: 0, total: 2 },
        toolCalls: 0,
        steps: 0,
        tokens: { input: 0, output: 0, total: 0, cacheRead: 0, cacheCreation: 0 },
        cacheHitRate: 0,
        durations: { total: 1.64, generation: 1.64, run: 0, eval: 0 },
        harnessCommit: 'v0.32.1',
        logDir: '/logs/j',
        workspaceDir: '/logs/j/workspace',
      },
      {
        line: 4,
        rawModel: 'openai/gpt-4o',
        model: 'openai/gpt-4o',
        toolFormat: 'markdown',
        test: 'prime100',
        passed: false,
        score: { passed: 0, total: 2 },
        toolCalls: 0,
        steps: 1,
        tokens: { input: 1463, output: 44, total: 1507, cacheRead: 0, cacheCreation: 0 },
        cacheHitRate: 0,
        costUsd: 0.007975,
        durations: { total: 3.12, generation: 3.1, run: 0.02, eval: 0 },
        harnessCommit: 'v0.32.1',
        logDir: '/logs/k',
        workspaceDir: '/logs/k/workspace',
        cases: [
          { name: 'correct output', passed: false, durationS: 0.5 },
          { name: 'clean exit', passed: true, durationS: 0.25 },
        ],
      },
    ]);
  });

  it('warns about a cases.csv that matches no outcome or several, and attaches it to none', async () => {
    const run = await read('20260711_120000Z');
    expect(run.warnings.sort()).toEqual([
      `${path.join(VALID, '20260711_120000Z/anthropic/claude-haiku-4-5/tool/hello/cases.csv')}: matches 2 outcomes; not attached`,
      `${path.join(VALID, '20260711_120000Z/openai/gpt-4o/xml/hello/cases.csv')}: matches no outcome of the run; not attached`,
    ]);
    expect(run.outcomes.filter((o) => o.test === 'hello').every((o) => o.cases === undefined)).toBe(true);
  });

  it('refuses a folder whose name is not a run time', async () => {
    await expect(read('20261399_000000Z')).rejects.toThrow(/not a run folder name/);
    await expect(read('20261399_000000Z')).rejects.toBeInstanceOf(IngestError);
  });
});
