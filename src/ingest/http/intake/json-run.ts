import type { EvalOutcomeInput, EvalRunInput } from '../../eval-run-events.js';
import { parseScore } from '../../gptme/field-parsers.js';
import { splitModelFormat } from '../../gptme/model-format.js';
import { withoutUndefined } from '../../without-undefined.js';
import { validateEvalRunBody, type EvalOutcomeBody } from '../dto/eval-run-body.schema.js';
import type { RunProblem } from './run-problem.js';

export const DEFAULT_JSON_SOURCE = 'api';

export type RunIntake = { ok: true; run: EvalRunInput; rowOfOutcome: (index: number) => number } | { ok: false; problems: RunProblem[] };

/**
 * A JSON run -> the importer's run input. The outcome fields are the CSV columns, so the CSV rules apply
 * through the importer's own functions: the `model@format` split and the `k/n` score.
 */
export function evalRunFromJson(body: unknown): RunIntake {
  const validated = validateEvalRunBody(body);
  if (!validated.ok) return validated;
  const { runId, startedAt, suite, source, outcomes } = validated.run;
  const problems: RunProblem[] = [];
  const mapped = outcomes.map((outcome, index) => toOutcomeInput(outcome, (field, reason) => problems.push({ row: index, field, reason })));
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    run: withoutUndefined({ runId, startedAt, suite, source: source ?? DEFAULT_JSON_SOURCE, outcomes: mapped }),
    rowOfOutcome: (index) => index,
  };
}

function toOutcomeInput(o: EvalOutcomeBody, report: (field: string, reason: string) => void): EvalOutcomeInput {
  const { model, toolFormat } = splitModelFormat(o.model, o.toolFormat ?? null);
  let score: { passed: number; total: number } | undefined;
  if (o.score !== undefined) {
    const parsed = parseScore(o.score);
    if ('error' in parsed) report('score', parsed.error);
    else score = parsed.value;
  }
  return withoutUndefined({
    test: o.test,
    model,
    rawModel: o.model,
    toolFormat,
    passed: o.passed,
    score,
    toolCalls: o.toolCalls,
    steps: o.numSteps,
    tokens:
      o.tokensInput === undefined
        ? undefined
        : {
            input: o.tokensInput,
            output: o.tokensOutput!,
            total: o.tokensTotal!,
            cacheRead: o.cacheReadTokens!,
            cacheCreation: o.cacheCreationTokens!,
          },
    cacheHitRate: o.cacheHitRate,
    costUsd: o.costUsd,
    durations:
      o.totalDuration === undefined
        ? undefined
        : { total: o.totalDuration, generation: o.generationTime!, run: o.runTime!, eval: o.evalTime! },
    harnessCommit: o.commitHash,
    logDir: o.logDir,
    workspaceDir: o.workspaceDir,
    cases: o.cases,
  });
}
