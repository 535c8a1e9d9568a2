/**
 * Experiment windows: for each lesson change, is it isolated (no confounding change within the confound
 * window), confounded (each confounder listed with its time and kind) or short of clean data; and for the
 * isolated ones, pass rates before/after on the tests the lesson affects and on the other (control) tests,
 * the difference-in-differences, Fisher exact p on the affected before/after table and P(after > before).
 * Pure: the inputs are the change timeline and the hourly outcome buckets (`experiment-outcomes`).
 *
 * The experiment is confounded whenever any confounding change (about every model or about one) is within the
 * window, listing each. The per-model detail says which models each confounder touches: a change about one model
 * (a model-API change, a new version, a harness commit seen on its runs) confounds that model; a change about no
 * model (lesson changes, a harness change) every model. The estimates (`overall`, `perModel`) are computed over
 * the clean models (`cleanModels`: no confounder about them, enough data) even when the experiment is confounded,
 * so partial evidence stays visible without calling the change isolated. Without confounders the experiment is
 * isolated when some model has enough data, else short of data.
 *
 * Windows are in whole hours of event time: before = the W hours before the change's hour, after = the W hours
 * after it; the hour of the change itself belongs to neither (its outcomes may predate or follow the change).
 */
import { LESSON_CHANGE_KINDS, modelFamily, type ChangeKind, type TimelineChange } from '../domain-changes/change-timeline.js';
import { addTally, emptyTally, estimate, type EffectEstimate, type Tally } from './effect-estimate.js';
import type { ExperimentRules } from './experiment-rules.js';
import { HOUR_MS } from './experiment-outcomes.js';
import { tallyWindows, type BucketIndex } from './window-tallies.js';
import { dataNeeded, type DataNeeded } from './data-needed.js';
import { correctVerdicts } from './verdict-false-discovery.js';

export type ExperimentStatus = 'isolated' | 'confounded' | 'insufficient-data';

export interface Confounder {
  changeId: string;
  kind: ChangeKind;
  at: string;
  subject: string;
  description: string;
  /** Signed hours from the lesson change to the confounder. */
  hoursFromChange: number;
  /**
   * The model it is about: it confounds that model's estimate only (a provider prefix such as `openai`, or a
   * family such as `openai/gpt-4o`, confounds each model under it). Absent: it confounds every model.
   */
  model?: string;
}

export interface ModelExperiment {
  status: ExperimentStatus;
  /** Ids of the confounders of this model's estimate: the global ones and the ones about this model. */
  confounders: string[];
  /** This model's counts on affected tests when short of the minimum. */
  insufficient?: InsufficientData;
}

export interface InsufficientData {
  affectedBefore: number;
  affectedAfter: number;
  minBefore: number;
  minAfter: number;
  /** How much more data would detect a `targetEffect` change (data-needed.ts). */
  needed: DataNeeded;
}

export interface Experiment {
  changeId: string;
  lessonId: string;
  kind: ChangeKind;
  at: string;
  description: string;
  status: ExperimentStatus;
  /** Every confounding change within the window (global ones and ones about a single model). */
  confounders: Confounder[];
  affectedTests: string[];
  /** Status per model with outcomes in the windows. */
  models: Record<string, ModelExperiment>;
  /** Short of data: the counts on affected tests summed over the models no confounder touches. */
  insufficient?: InsufficientData;
  /**
   * The models the estimates stand on: no confounder about them and enough clean data. Present whenever an
   * estimate is; on a confounded experiment the estimates are partial evidence, not an isolated effect.
   */
  cleanModels?: string[];
  /** Summed over the clean models. */
  overall?: EffectEstimate;
  /** The estimate of each clean model. */
  perModel?: Record<string, EffectEstimate>;
}

const LESSON_KINDS = new Set<ChangeKind>(LESSON_CHANGE_KINDS);

/** Whether a change about `scope` (a model, its provider prefix or its family) is about `model`. */
export function confoundsModel(scope: string, model: string): boolean {
  return model === scope || model.startsWith(`${scope}/`) || modelFamily(model) === scope;
}

export function isLessonChange(change: TimelineChange): boolean {
  return LESSON_KINDS.has(change.kind) && change.lessonId !== undefined;
}

/** Whether a test is affected by a lesson with these keywords and category (gptme's substring rule, `*` wildcard). */
export function testMatchesLesson(test: string, keywords: readonly string[], category: string | undefined): boolean {
  const name = test.toLowerCase();
  for (const keyword of keywords) {
    const parts = keyword.trim().toLowerCase().split('*');
    if (parts.join('') === '') continue;
    if (parts.length === 1 ? name.includes(parts[0]!) : wildcard(parts).test(name)) return true;
  }
  return category !== undefined && category !== '' && name.includes(category.toLowerCase());
}

function wildcard(parts: string[]): RegExp {
  return new RegExp(parts.map((p) => p.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')).join('\\w*'), 'u');
}

export function analyzeExperiments(
  timeline: readonly TimelineChange[],
  buckets: BucketIndex,
  rules: ExperimentRules,
): Experiment[] {
  const confounding = new Set(rules.confoundingKinds);
  const candidates = timeline.filter((c) => confounding.has(c.kind));
  // Verdicts are corrected over the rule set's family of experiments (one day's, or all), never one at a time.
  return correctVerdicts(timeline.filter(isLessonChange).map((change) => analyzeOne(change, candidates, buckets, rules)), rules);
}

function analyzeOne(change: TimelineChange, candidates: readonly TimelineChange[], index: BucketIndex, rules: ExperimentRules): Experiment {
  const at = Date.parse(change.at);
  const confounders = confoundersOf(change, at, candidates, rules.confoundWindowHours * HOUR_MS);
  const affected = rules.affectedTests === 'all'
    ? index.tests
    : index.tests.filter((t) => testMatchesLesson(t, change.keywords ?? [], change.category));
  const tallies = tallyWindows(Math.floor(at / HOUR_MS), new Set(affected), index, rules.experimentWindowHours);
  const global = confounders.filter((c) => c.model === undefined).map((c) => c.changeId);
  const models: Record<string, ModelExperiment> = {};
  const perModel: Record<string, EffectEstimate> = {};
  const clean = emptyTally();
  const unconfounded = emptyTally();
  for (const [model, tally] of [...tallies].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    const own = [...global, ...confounders.filter((c) => c.model !== undefined && confoundsModel(c.model, model)).map((c) => c.changeId)];
    if (own.length > 0) {
      models[model] = { status: 'confounded', confounders: own };
      continue;
    }
    addTally(unconfounded, tally);
    const shortOf = insufficientData(tally, rules, affected.length);
    if (shortOf) {
      models[model] = { status: 'insufficient-data', confounders: [], insufficient: shortOf };
      continue;
    }
    models[model] = { status: 'isolated', confounders: [] };
    perModel[model] = estimate(tally, rules.significanceLevel);
    addTally(clean, tally);
  }
  const cleanModels = Object.keys(perModel);
  const base: Experiment = {
    changeId: change.changeId,
    lessonId: change.lessonId!,
    kind: change.kind,
    at: change.at,
    description: change.description,
    status: 'isolated',
    confounders,
    affectedTests: affected,
    models,
  };
  const estimates = cleanModels.length > 0 ? { cleanModels, overall: estimate(clean, rules.significanceLevel), perModel } : {};
  if (confounders.length > 0) return { ...base, status: 'confounded', ...estimates };
  if (cleanModels.length > 0) return { ...base, ...estimates };
  const unconfoundedModels = Object.values(models).filter((m) => m.status !== 'confounded').length;
  return { ...base, status: 'insufficient-data', insufficient: counts(unconfounded, rules, affected.length * Math.max(1, unconfoundedModels)) };
}

function confoundersOf(change: TimelineChange, at: number, candidates: readonly TimelineChange[], windowMs: number): Confounder[] {
  const confounders: Confounder[] = [];
  for (const other of candidates) {
    if (other.changeId === change.changeId) continue;
    const delta = Date.parse(other.at) - at;
    if (Math.abs(delta) > windowMs) continue;
    confounders.push({
      changeId: other.changeId,
      kind: other.kind,
      at: other.at,
      subject: other.subject,
      description: other.description,
      hoursFromChange: Math.round((delta / HOUR_MS) * 100) / 100,
      ...(other.model !== undefined ? { model: other.model } : {}),
    });
  }
  return confounders;
}

/** The counts on affected tests, and what more data would detect; a run gives `outcomesPerRun` of them. */
function counts(t: Tally, rules: ExperimentRules, outcomesPerRun: number): InsufficientData {
  const c = {
    affectedBefore: t.affectedBefore.passed + t.affectedBefore.failed,
    affectedAfter: t.affectedAfter.passed + t.affectedAfter.failed,
    minBefore: rules.minCleanBefore,
    minAfter: rules.minCleanAfter,
  };
  return { ...c, needed: dataNeeded(c, outcomesPerRun, rules) };
}

/** The counts when short of the minimum clean outcomes on affected tests (or with none at all), else null. */
function insufficientData(t: Tally, rules: ExperimentRules, affectedTests: number): InsufficientData | null {
  const c = counts(t, rules, affectedTests);
  const short = c.affectedBefore < rules.minCleanBefore || c.affectedAfter < rules.minCleanAfter || (c.affectedBefore === 0 && c.affectedAfter === 0);
  return short ? c : null;
}
