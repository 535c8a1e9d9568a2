import type { TestOutcomeRecordedData } from '../../contracts/eval.js';
import { outcomeCounts } from '../../projections/eval/outcome-counts.js';
import { given, type GivenEvent } from '../../projections/machinery/testing.js';

function outcome(
  fields: Partial<TestOutcomeRecordedData> & Pick<TestOutcomeRecordedData, 'model' | 'test' | 'passed'>,
  occurredAt = '2026-03-01T10:00:00.000Z',
): GivenEvent {
  const data: TestOutcomeRecordedData = {
    runId: '20260301_100000Z',
    rawModel: fields.model,
    toolFormat: 'tool',
    occurrence: 0,
    suspectedInfraError: false,
    ...fields,
  };
  return { type: 'TestOutcomeRecorded', schemaVersion: 2, data, metadata: { occurredAt } };
}

describe('outcome-counts projection (given events, then rows)', () => {
  it('counts passes and fails per (model, tool format, test)', () => {
    const then = given(outcomeCounts, [
      outcome({ model: 'gpt-4o', test: 'hello', passed: true }),
      outcome({ model: 'gpt-4o', test: 'hello', passed: false }),
      outcome({ model: 'gpt-4o', test: 'hello', passed: true }),
      outcome({ model: 'gpt-4o', test: 'hello', passed: true, toolFormat: 'markdown' }),
      outcome({ model: 'claude', test: 'hello', passed: false, toolFormat: null }),
    ]);
    expect(then.rows('outcome_counts')).toEqual([
      expect.objectContaining({ model: 'claude', tool_format: '', test: 'hello', passes: 0, fails: 1 }),
      expect.objectContaining({ model: 'gpt-4o', tool_format: 'markdown', test: 'hello', passes: 1, fails: 0 }),
      expect.objectContaining({ model: 'gpt-4o', tool_format: 'tool', test: 'hello', passes: 2, fails: 1 }),
    ]);
  });

  it('keeps suspected infra errors out of the fails by default, and counts them under a rule set that says so', () => {
    const events = [
      outcome({ model: 'm', test: 't', passed: false, suspectedInfraError: true }),
      outcome({ model: 'm', test: 't', passed: false }),
    ];
    expect(given(outcomeCounts, events).rows('outcome_counts')[0]).toMatchObject({ fails: 1, infra_errors: 1 });
    const strict = given(outcomeCounts, events, { ruleSet: { countSuspectedInfraErrorsAsFails: true } });
    expect(strict.rows('outcome_counts')[0]).toMatchObject({ fails: 2, infra_errors: 1 });
  });

  it('records the latest run by world time even when an older run arrives later', () => {
    const then = given(outcomeCounts, [
      outcome({ model: 'm', test: 't', passed: true, runId: 'new' }, '2026-03-02T00:00:00.000Z'),
      outcome({ model: 'm', test: 't', passed: false, runId: 'old' }, '2026-03-01T00:00:00.000Z'),
    ]);
    expect(then.rows('outcome_counts')).toEqual([
      {
        model: 'm',
        tool_format: 'tool',
        test: 't',
        passes: 1,
        fails: 1,
        infra_errors: 0,
        last_run_id: 'new',
        last_run_at: '2026-03-02T00:00:00.000Z',
        last_passed: true,
      },
    ]);
  });

  it('ignores events of other types', () => {
    const then = given(outcomeCounts, [
      { type: 'EvalRunRecorded', data: { runId: 'r' } },
      outcome({ model: 'm', test: 't', passed: true }),
    ]);
    expect(then.rows('outcome_counts')).toHaveLength(1);
  });

  it('refuses a rule set whose values do not fit the rules', () => {
    expect(() => given(outcomeCounts, [], { ruleSet: { countSuspectedInfraErrorsAsFails: 'yes' } })).toThrow(
      /countSuspectedInfraErrorsAsFails/,
    );
  });
});
