/**
 * Filtering, server-side sorting and paging of an analysis' experiments and of a compare's differences. Ties (and
 * missing values, always last whatever the order) fall back to event time then change id, so pages are stable.
 * With `model`, an experiment is judged by that model: its status (filter, counts, sort) and its own estimate
 * (sort by effect or p).
 */
import type { ExperimentDifference } from '../../projections/experiments/experiment-compare.js';
import { confoundsModel, type Experiment, type ExperimentStatus } from '../../projections/experiments/experiment-windows.js';
import { page } from '../common/list-params.js';
import { sortRows } from '../common/sort-rows.js';
import { inTimeWindow } from '../common/time-window.js';
import type { CompareParams, DifferenceSortKey, ExperimentSortKey, ListExperimentsParams } from './experiment-query-params.js';

type SortValue = number | string | null;

interface Dated {
  changeId: string;
  at: string;
}

/** Sorted by `value` (missing last), ties by event time then change id (sortRows keeps the tie order it is given). */
function sorted<T extends Dated>(items: readonly T[], value: (item: T) => SortValue, order: 'asc' | 'desc'): T[] {
  const chronological = [...items].sort((x, y) => Date.parse(x.at) - Date.parse(y.at) || (x.changeId < y.changeId ? -1 : x.changeId > y.changeId ? 1 : 0));
  return sortRows(chronological, value, order);
}

function aboutModel(e: Experiment, model: string): boolean {
  return e.confounders.some((c) => c.model !== undefined && confoundsModel(c.model, model));
}

/**
 * The model's status in the experiment: its own when it has outcomes in the windows; confounded when it has none
 * but a confounder is about it; null when the experiment does not concern it.
 */
function modelStatus(e: Experiment, model: string): ExperimentStatus | null {
  return e.models[model]?.status ?? (aboutModel(e, model) ? 'confounded' : null);
}

const EXPERIMENT_SORT: Record<ExperimentSortKey, (e: Experiment, model: string | undefined) => SortValue> = {
  at: (e) => Date.parse(e.at),
  status: (e, model) => (model ? modelStatus(e, model) : e.status),
  lesson: (e) => e.lessonId,
  effect: (e, model) => (model ? e.perModel?.[model] : e.overall)?.effect ?? null,
  p: (e, model) => (model ? e.perModel?.[model] : e.overall)?.fisherP ?? null,
  q: (e, model) => (model ? e.perModel?.[model] : e.overall)?.q ?? null,
  confounders: (e) => e.confounders.length,
  change: (e) => e.changeId,
};

export function listExperiments(experiments: readonly Experiment[], params: ListExperimentsParams) {
  const { model } = params;
  const statusOf = (e: Experiment) => (model ? modelStatus(e, model) : e.status);
  const matching = experiments
    .filter((e) => !params.lesson || e.lessonId === params.lesson)
    .filter((e) => !model || modelStatus(e, model) !== null)
    .filter((e) => !params.status || statusOf(e) === params.status)
    .filter((e) => inTimeWindow(e.at, params.from, params.to));
  const counts: Record<string, number> = {};
  for (const e of matching) counts[statusOf(e)!] = (counts[statusOf(e)!] ?? 0) + 1;
  const ordered = sorted(matching, (e) => EXPERIMENT_SORT[params.sort](e, model), params.order);
  return { counts, ...page(model ? ordered.map((e) => narrowToModel(e, model)) : ordered, params.limit, params.offset) };
}

function narrowToModel(e: Experiment, model: string): Experiment {
  const out: Experiment = { ...e };
  out.models = e.models[model] ? { [model]: e.models[model] } : {};
  if (e.perModel) out.perModel = e.perModel[model] ? { [model]: e.perModel[model] } : {};
  if (e.cleanModels) out.cleanModels = e.cleanModels.filter((m) => m === model);
  return out;
}

const DIFFERENCE_SORT: Record<DifferenceSortKey, (d: ExperimentDifference) => SortValue> = {
  at: (d) => Date.parse(d.at),
  lesson: (d) => d.lessonId,
  status: (d) => `${d.statusA ?? ''}>${d.statusB ?? ''}`,
  effect: (d) => d.effectB,
  effectChange: (d) => (d.effectA !== null && d.effectB !== null ? d.effectB - d.effectA : null),
  change: (d) => d.changeId,
};

/** Whether the difference concerns the model: its status differs, or a confounder about it entered or left. */
function differenceConcernsModel(d: ExperimentDifference, model: string): boolean {
  return d.models.some((m) => m.model === model) || [...d.confoundersEntered, ...d.confoundersLeft].some((c) => c.model !== undefined && confoundsModel(c.model, model));
}

export function listDifferences(differences: readonly ExperimentDifference[], params: CompareParams) {
  const { model } = params;
  const matching = differences
    .filter((d) => !params.lesson || d.lessonId === params.lesson)
    .filter((d) => !params.status || d.statusA === params.status || d.statusB === params.status)
    .filter((d) => inTimeWindow(d.at, params.from, params.to))
    .filter((d) => !model || differenceConcernsModel(d, model))
    .map((d) => (model ? { ...d, models: d.models.filter((m) => m.model === model) } : d));
  return page(sorted(matching, DIFFERENCE_SORT[params.sort], params.order), params.limit, params.offset);
}
