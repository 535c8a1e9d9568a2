import { validateEvalRunBody } from '../../src/ingest/http/dto/eval-run-body.schema.js';

const outcome = { model: 'openai/gpt-4o@tool', test: 'hello', passed: true };
const run = { runId: '20260822_025022Z', startedAt: '2026-08-22T02:50:22Z', outcomes: [outcome] };

describe('validateEvalRunBody', () => {
  it('accepts a minimal run', () => {
    expect(validateEvalRunBody(run)).toEqual({ ok: true, run });
  });

  it('names the outcome index and field of every problem', () => {
    const result = validateEvalRunBody({
      ...run,
      runId: 'bad id!',
      outcomes: [outcome, { ...outcome, passed: 'yes', tokensInput: 3, extra: 1 }],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(
      expect.arrayContaining([
        { row: null, field: 'runId', reason: expect.stringContaining('must be 1-128') },
        { row: 1, field: 'passed', reason: expect.stringMatching(/boolean/) },
        { row: 1, field: 'extra', reason: 'unknown field' },
      ]),
    );
  });

  it('requires token and duration groups to be complete', () => {
    const result = validateEvalRunBody({ ...run, outcomes: [{ ...outcome, tokensInput: 3, totalDuration: 2 }] });
    if (result.ok) throw new Error('accepted');
    expect(result.problems.map((p) => `${p.row}:${p.field}`).sort()).toEqual(
      ['0:cacheCreationTokens', '0:cacheReadTokens', '0:evalTime', '0:generationTime', '0:runTime', '0:tokensOutput', '0:tokensTotal'],
    );
  });

  it('refuses a body that is not a run', () => {
    const result = validateEvalRunBody([1]);
    if (result.ok) throw new Error('accepted');
    expect(result.problems).toEqual([{ row: null, field: null, reason: expect.stringMatching(/object/) }]);
  });
});
