/** Spec helpers: TestOutcomeRecorded events as a producer would write them, with the run time as event time. */
import { TOOL_FORMATS, type TestOutcomeRecordedData, type ToolFormat } from '../../../contracts/eval.js';
import type { GivenEvent } from '../../../projections/machinery/testing.js';

export interface OutcomeSpec {
  run: string;
  /** ISO instant of the run; defaults to the run id read as gptme's YYYYMMDD_HHMMSSZ. */
  at?: string;
  /** The Model string as written (e.g. `m/a@tool`). */
  raw: string;
  /** The Tool Format column. */
  format?: ToolFormat;
  test: string;
  passed: boolean;
  infra?: boolean;
  occurrence?: number;
  suite?: string;
  cost?: number;
  tokens?: number;
}

/** `20260101_000000Z` -> `2026-01-01T00:00:00.000Z`. */
export function runTime(runId: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})Z$/.exec(runId);
  if (!m) throw new Error(`not a gptme run id: ${runId}`);
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z`;
}

export function outcomeData(spec: OutcomeSpec): TestOutcomeRecordedData {
  const at = spec.raw.lastIndexOf('@');
  const suffix = at >= 0 ? spec.raw.slice(at + 1) : '';
  const embedded = (TOOL_FORMATS as readonly string[]).includes(suffix) ? (suffix as ToolFormat) : null;
  return {
    runId: spec.run,
    ...(spec.suite ? { suite: spec.suite } : {}),
    test: spec.test,
    model: embedded ? spec.raw.slice(0, at) : spec.raw,
    toolFormat: spec.format ?? embedded,
    passed: spec.passed,
    ...(spec.cost !== undefined ? { costUsd: spec.cost } : {}),
    ...(spec.tokens !== undefined ? { tokens: { input: spec.tokens, output: 0, total: spec.tokens, cacheRead: 0, cacheCreation: 0 } } : {}),
    suspectedInfraError: spec.infra ?? false,
    rawModel: spec.raw,
    occurrence: spec.occurrence ?? 0,
  };
}

export function outcome(spec: OutcomeSpec): GivenEvent {
  return {
    type: 'TestOutcomeRecorded',
    schemaVersion: 2,
    data: outcomeData(spec),
    streamId: `eval-run-${spec.run}`,
    metadata: { occurredAt: spec.at ?? runTime(spec.run), source: 'test' },
  };
}

/** Run ids one day apart from 2026-01-01: run(1) = 20260101_000000Z. */
export function run(day: number): string {
  return `202601${String(day).padStart(2, '0')}_000000Z`;
}

/** One outcome per run for a series: `series('m/a@tool', 't1', 'PPPF')`, runs 1..n. */
export function series(raw: string, test: string, results: string, extra: Partial<OutcomeSpec> = {}): GivenEvent[] {
  return [...results].map((r, i) => outcome({ run: run(i + 1), raw, test, passed: r === 'P', ...extra }));
}
