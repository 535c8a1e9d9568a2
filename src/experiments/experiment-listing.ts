/**
 * Filtering, server-side sorting and paging of an analysis' experiments and of a compare's differences. Ties (and
 * missing values, always last whatever the order) fall back to event time then change id, so pages are stable.
 */
import type { ExperimentDifference } from '../../projections/experiment-compare.js';
import { confoundsModel, type Experiment } from '../../projections/experiment-windows.js';
import { page } from '../common/list-params.js';
import { inTimeWindow } from '../common/time-window.js';
import type { CompareParams, DifferenceSortKey, ExperimentSortKey, ListExperimentsParams } from './experiment-query-params.js';

type SortValue = number | string | null;

interface Dated {
  changeId: string;
  lessonId: string;
  at: string;
}

function sorted<T extends Dated>(items: readonly T[], value: (item: T) => SortValue, order: 'asc' | 'desc'): T[] {
  const direction = order === 'asc' ? 1 : -1;
  const compareValues = (x: SortValue, y: SortValue): number => {
    if (x === y) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return (x < y ? -1 : 1) * direction;
  };
  return [...items].sort(
    (x, y) => compareValues(value(x), value(y)) || Date.parse(x.at) - Date.parse(y.at) || (x.changeId < y.changeId ? -1 : x.changeId > y.changeId ? 1 : 0),
  );
}

/** Whether the experiment concerns the model: it has outcomes in the windows, or a confounder is about it. */
function concernsModel(e: Experiment, model: string): boolean {
  return e.models[model] !== undefined || e.confounders.some((c) => c.model !== undefined && confoundsModel(c.model, model));
}

const EXPERIMENT_SORT: Record<ExperimentSortKey, (e: Experiment) => SortValue> = {
  at: (e) => Date.parse(e.at),
  status: (e) => e.status,
  lesson: (e) => e.lessonId,
  effect: (e) => e.overall?.effect ?? null,
  p: (e) => e.overall?.fisherP ?? null,
  confounders: (e) => e.confounders.length,
  change: (e) => e.changeId,
};

export function listExperiments(experiments: readonly Experiment[], params: ListExperimentsParams) {
  const { model } = params;
  const matching = experiments
    .filter((e) => !params.lesson || e.lessonId === params.lesson)
    .filter((e) => !params.status || e.status === params.status)
    .filter((e) => inTimeWindow(e.at, params.from, params.to))
    .filter((e) => !model || concernsModel(e, model));
  const counts: Record<string, number> = {};
  for (const e of matching) counts[e.status] = (counts[e.status] ?? 0) + 1;
  const narrowed = model ? matching.map((e) => narrowToModel(e, model)) : matching;
  return { counts, ...page(sorted(narrowed, EXPERIMENT_SORT[params.sort], params.order), params.limit, params.offset) };
}

function narrowToModel(e: Experiment, model: string): Experiment {
  const out: Experiment = { ...e };
  out.models = e.models[model] ? { [model]: e.models[model] } : {};
  if (e.perModel) out.perModel = e.perModel[model] ? { [model]: e.perModel[model] } : {};
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
