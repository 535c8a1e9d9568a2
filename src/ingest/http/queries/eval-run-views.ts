import type { TestOutcomeRecordedData } from '../../../../contracts/eval.js';
import type { EvalRunOutcomeRow, EvalRunRow } from '../read-model/eval-run.entities.js';

export interface EvalRunSummaryView {
  runId: string;
  startedAt: string;
  source: string;
  suite: string | null;
  counts: { outcomes: number; passed: number; failed: number; suspectedInfraErrors: number };
  models: string[];
  harnessCommits: string[];
  recordedAt: string;
  eventId: string;
  globalPosition: string;
}

export type EvalOutcomeView = TestOutcomeRecordedData & { eventId: string; globalPosition: string };

export interface EvalRunDetailView extends EvalRunSummaryView {
  outcomes: EvalOutcomeView[];
}

export function toSummaryView(row: EvalRunRow): EvalRunSummaryView {
  return {
    runId: row.runId,
    startedAt: row.startedAt?.toISOString() ?? '',
    source: row.source ?? '',
    suite: row.suite,
    counts: { outcomes: row.outcomes, passed: row.passed, failed: row.failed, suspectedInfraErrors: row.suspectedInfraErrors },
    models: row.models ?? [],
    harnessCommits: row.harnessCommits ?? [],
    recordedAt: row.recordedAt?.toISOString() ?? '',
    eventId: row.eventId ?? '',
    globalPosition: String(row.globalPosition),
  };
}

export function toOutcomeView(row: EvalRunOutcomeRow): EvalOutcomeView {
  return { ...(row.data as TestOutcomeRecordedData), eventId: row.eventId, globalPosition: String(row.globalPosition) };
}
