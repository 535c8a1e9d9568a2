/** Eval results: one event per test outcome, one per run. Producers (CSV importer, live runners) import this alone. */
import { z } from 'zod';
import { defineEvent, upcaster } from './event-definition.js';
import {
  isoInstant,
  nonNegativeInt,
  nonNegativeNumber,
  unitInterval,
} from './primitives.js';
import { identifier, nameString, outcomeKeyProblem, pathOrEmpty, testName } from './limits.js';

/** The tool formats gptme knows; any other `@suffix` of a model string is part of the model name. */
export const TOOL_FORMATS = ['markdown', 'xml', 'tool'] as const;
export const toolFormatSchema = z.enum(TOOL_FORMATS);
export type ToolFormat = z.infer<typeof toolFormatSchema>;

export const scoreSchema = z
  .strictObject({ passed: nonNegativeInt, total: nonNegativeInt })
  .refine((s) => s.passed <= s.total, { message: 'score.passed must not exceed score.total', path: ['passed'] });

export const tokenUsageSchema = z.strictObject({
  input: nonNegativeInt,
  output: nonNegativeInt,
  total: nonNegativeInt,
  cacheRead: nonNegativeInt,
  cacheCreation: nonNegativeInt,
});
export type TokenUsage = z.infer<typeof tokenUsageSchema>;

/** Seconds. */
export const durationsSchema = z.strictObject({
  total: nonNegativeNumber,
  generation: nonNegativeNumber,
  run: nonNegativeNumber,
  eval: nonNegativeNumber,
});
export type Durations = z.infer<typeof durationsSchema>;

/** One checker of a test (gptme's cases.csv). */
export const evalCaseSchema = z.strictObject({
  name: nameString,
  passed: z.boolean(),
  durationS: nonNegativeNumber,
});
export type EvalCase = z.infer<typeof evalCaseSchema>;

const testOutcomeFieldsV1 = {
  runId: identifier,
  suite: nameString.optional(),
  test: testName,
  /** The model name without a tool-format suffix. */
  model: nameString,
  /** null: the source does not say which format was used. */
  toolFormat: toolFormatSchema.nullable(),
  passed: z.boolean(),
  score: scoreSchema.optional(),
  toolCalls: nonNegativeInt.optional(),
  steps: nonNegativeInt.optional(),
  tokens: tokenUsageSchema.optional(),
  cacheHitRate: unitInterval.optional(),
  costUsd: nonNegativeNumber.optional(),
  durations: durationsSchema.optional(),
  harnessCommit: identifier.optional(),
  logDir: pathOrEmpty.optional(),
  workspaceDir: pathOrEmpty.optional(),
  cases: z.array(evalCaseSchema).optional(),
  /** Looks like a provider/quota/harness failure rather than a real failure of the model. */
  suspectedInfraError: z.boolean(),
};

/** v1 had neither `rawModel` nor `occurrence`. Kept so v1 events already stored stay readable. */
/** The outcome's key (model, format, test) is bounded as a whole: read models key and index rows by it. */
function boundedKey(o: { model: string; rawModel?: string; toolFormat: string | null; test: string }, ctx: z.RefinementCtx): void {
  const problem = outcomeKeyProblem(o);
  if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['test'] });
}

export const TestOutcomeRecordedV1Schema = z.strictObject(testOutcomeFieldsV1).superRefine(boundedKey);
export type TestOutcomeRecordedV1 = z.infer<typeof TestOutcomeRecordedV1Schema>;

export const TestOutcomeRecordedV2Schema = z
  .strictObject({
    ...testOutcomeFieldsV1,
    /** The `Model` string exactly as the CSV/API wrote it, e.g. `openai/gpt-4o@tool`. */
    rawModel: nameString,
    /** Index of this row among rows of the same (rawModel, toolFormat, test) in the same run. */
    occurrence: nonNegativeInt,
  })
  .superRefine(boundedKey);
export type TestOutcomeRecordedV2 = z.infer<typeof TestOutcomeRecordedV2Schema>;

export const TEST_OUTCOME_RECORDED_VERSION = 2;
export const TestOutcomeRecordedSchema = TestOutcomeRecordedV2Schema;
export type TestOutcomeRecordedData = TestOutcomeRecordedV2;

/** v1 -> v2: the raw model string is rebuilt the way old CSVs wrote it (`model@format`); old events never repeated. */
export function upcastTestOutcomeRecordedV1(data: TestOutcomeRecordedV1): TestOutcomeRecordedV2 {
  return {
    ...data,
    rawModel: data.toolFormat === null ? data.model : `${data.model}@${data.toolFormat}`,
    occurrence: 0,
  };
}

export const TestOutcomeRecorded = defineEvent(
  'TestOutcomeRecorded',
  TEST_OUTCOME_RECORDED_VERSION,
  TestOutcomeRecordedSchema,
  {
    schemas: { 1: TestOutcomeRecordedV1Schema },
    upcasters: { 1: upcaster(upcastTestOutcomeRecordedV1) },
  },
);

export const EvalRunRecordedSchema = z.strictObject({
  runId: identifier,
  startedAt: isoInstant,
  source: identifier,
  counts: z.strictObject({
    outcomes: nonNegativeInt,
    passed: nonNegativeInt,
    failed: nonNegativeInt,
    suspectedInfraErrors: nonNegativeInt,
  })
    .refine((c) => c.passed + c.failed === c.outcomes, {
      message: 'counts.passed + counts.failed must equal counts.outcomes',
    })
    .refine((c) => c.suspectedInfraErrors <= c.failed, {
      message: 'counts.suspectedInfraErrors must not exceed counts.failed',
      path: ['suspectedInfraErrors'],
    }),
  models: z.array(nameString).optional(),
  harnessCommits: z.array(identifier).optional(),
  suite: nameString.optional(),
});
export type EvalRunRecordedData = z.infer<typeof EvalRunRecordedSchema>;
export const EVAL_RUN_RECORDED_VERSION = 1;
export const EvalRunRecorded = defineEvent('EvalRunRecorded', EVAL_RUN_RECORDED_VERSION, EvalRunRecordedSchema);

export const evalEventDefinitions = [TestOutcomeRecorded, EvalRunRecorded] as const;
