/** The API answers behind the run page, the run diff, the experiment windows and the effects views (see /docs-json). */
import type { Page } from './types.js';

export type OutcomeResult = 'pass' | 'fail' | 'infra';

export interface RunSummary {
  runId: string;
  startedAt: string;
  source: string;
  suite: string | null;
  counts: { outcomes: number; passed: number; failed: number; suspectedInfraErrors: number };
  models: string[];
  harnessCommits: string[];
}
export interface RunOutcome {
  eventId: string;
  model: string;
  rawModel: string;
  toolFormat: string | null;
  test: string;
  occurrence: number;
  passed: boolean;
  result: OutcomeResult;
  score?: { passed: number; total: number };
  tokens?: { input: number; output: number; total: number };
  costUsd?: number;
  durations?: { total: number };
  logDir?: string;
  cases?: { name: string; passed: boolean; durationS: number }[];
}
export interface ModelTotals {
  model: string;
  format: string;
  pass: number;
  fail: number;
  infra: number;
  tokens: number;
  costUsd: number;
  durationS: number;
}
export interface RunOutcomes extends Page<RunOutcome> {
  run: RunSummary;
  byModel: ModelTotals[];
  counts: Record<OutcomeResult, number>;
}
export type DiffChange = 'new-failure' | 'new-pass' | 'new-infra' | 'only-a' | 'only-b' | 'unchanged';
export interface DiffSide {
  eventId: string;
  result: OutcomeResult;
  tokens: number | null;
  costUsd: number | null;
  durationS: number | null;
  logDir: string | null;
}
export interface DiffItem {
  model: string;
  rawModel: string;
  format: string;
  test: string;
  occurrence: number;
  change: DiffChange;
  a: DiffSide | null;
  b: DiffSide | null;
}
export interface RunDiff extends Page<DiffItem> {
  a: RunSummary;
  b: RunSummary;
  counts: Record<DiffChange, number>;
}
export interface Counts {
  passed: number;
  failed: number;
}
export interface SeriesPoint {
  hour: string;
  offset: number;
  affected: Counts;
  control: Counts;
}
export interface WindowConfounder {
  changeId: string;
  kind: string;
  at: string;
  subject: string;
  description: string;
  hoursFromChange: number;
  model?: string;
  span: { from: string; to: string };
}
export interface EffectNumbers {
  affectedRateBefore: number | null;
  affectedRateAfter: number | null;
  controlRateBefore: number | null;
  controlRateAfter: number | null;
  effect: number | null;
  fisherP: number;
  significant: boolean;
  q?: number;
  minimumDetectableEffect?: number | null;
}
export interface ExperimentSeries {
  ruleSetId: string;
  changeId: string;
  lessonId: string;
  lessonTitle: string | null;
  lessonPath: string | null;
  kind: string;
  at: string;
  status: string;
  windowHours: number;
  confoundWindowHours: number;
  before: { from: string; to: string };
  after: { from: string; to: string };
  affectedTests: number;
  confounders: WindowConfounder[];
  overall: EffectNumbers | null;
  all: SeriesPoint[];
  models: { model: string; status: string | null; confounders: string[]; estimate: EffectNumbers | null; points: SeriesPoint[] }[];
}
export interface EffectRow {
  lessonId: string;
  lessonTitle: string | null;
  lessonPath: string | null;
  method: string;
  observational: boolean;
  effect: number | null;
  lower: number | null;
  upper: number | null;
  n: number;
  treated: { n: number; passes: number };
  control: { n: number; passes: number };
  fisherP?: number;
  significant: boolean;
  /** Two-sided p of no effect; q its false-discovery q-value over every lesson by the method; discovery q <= the level. */
  p?: number | null;
  q?: number | null;
  discovery?: boolean | null;
  /** The minimum detectable effect, when the API gives it. */
  mde?: number | null;
}
export interface EffectsPage extends Page<EffectRow> {
  method: string;
  ruleSet: string;
}
export interface LessonEffect {
  lessonId: string;
  lessonTitle: string | null;
  lessonPath: string | null;
  estimates: Record<string, EffectRow>;
}
