/**
 * What changes between two analyses of the same lesson changes (two rule sets): status switches with the
 * confounders that entered or left the window, a model entering or leaving confounded (with the confounders
 * about it), effects that change sign or significance.
 */
import type { Confounder, Experiment, ExperimentStatus } from './experiment-windows.js';

/** One model's status differing between A and B. */
export interface ModelDifference {
  model: string;
  statusA: ExperimentStatus | null;
  statusB: ExperimentStatus | null;
  /** Ids of this model's confounders under B and not A, and the reverse. */
  confoundersEntered: string[];
  confoundersLeft: string[];
}

export interface ExperimentDifference {
  changeId: string;
  lessonId: string;
  at: string;
  statusA: ExperimentStatus | null;
  statusB: ExperimentStatus | null;
  statusChanged: boolean;
  /** Confounders in B's window and not in A's, and the reverse. */
  confoundersEntered: Confounder[];
  confoundersLeft: Confounder[];
  /** Models whose status differs (e.g. entering confounded when a confounder about them enters the window). */
  models: ModelDifference[];
  effectA: number | null;
  effectB: number | null;
  signChanged: boolean;
  significantA: boolean | null;
  significantB: boolean | null;
  significanceChanged: boolean;
  reason: string;
}

export function compareAnalyses(a: readonly Experiment[], b: readonly Experiment[]): ExperimentDifference[] {
  const byIdB = new Map(b.map((e) => [e.changeId, e]));
  const ids = [...new Set([...a.map((e) => e.changeId), ...b.map((e) => e.changeId)])];
  const byIdA = new Map(a.map((e) => [e.changeId, e]));
  const out: ExperimentDifference[] = [];
  for (const id of ids) {
    const ea = byIdA.get(id);
    const eb = byIdB.get(id);
    const diff = difference(ea, eb);
    if (diff.statusChanged || diff.signChanged || diff.significanceChanged || diff.models.length > 0) out.push(diff);
  }
  return out.sort((x, y) => Date.parse(x.at) - Date.parse(y.at) || (x.changeId < y.changeId ? -1 : 1));
}

function difference(ea: Experiment | undefined, eb: Experiment | undefined): ExperimentDifference {
  const any = (ea ?? eb)!;
  const idsA = new Set((ea?.confounders ?? []).map((c) => c.changeId));
  const idsB = new Set((eb?.confounders ?? []).map((c) => c.changeId));
  const entered = (eb?.confounders ?? []).filter((c) => !idsA.has(c.changeId));
  const left = (ea?.confounders ?? []).filter((c) => !idsB.has(c.changeId));
  const effectA = ea?.overall?.effect ?? null;
  const effectB = eb?.overall?.effect ?? null;
  const significantA = ea?.overall ? ea.overall.significant : null;
  const significantB = eb?.overall ? eb.overall.significant : null;
  const signChanged = effectA !== null && effectB !== null && Math.sign(effectA) !== Math.sign(effectB);
  const significanceChanged = significantA !== null && significantB !== null && significantA !== significantB;
  const statusA = ea?.status ?? null;
  const statusB = eb?.status ?? null;
  const models = modelDifferences(ea, eb);
  const reasons: string[] = [];
  if (statusA !== statusB) reasons.push(`${statusA ?? 'absent'} -> ${statusB ?? 'absent'}`);
  for (const c of entered) reasons.push(`confounder entered: ${c.kind} ${c.subject} at ${c.at} (${c.hoursFromChange} h)`);
  for (const c of left) reasons.push(`confounder left: ${c.kind} ${c.subject} at ${c.at} (${c.hoursFromChange} h)`);
  const known = new Map([...(ea?.confounders ?? []), ...(eb?.confounders ?? [])].map((c) => [c.changeId, c]));
  reasons.push(...modelReasons(models, known));
  if (statusA !== statusB && entered.length === 0 && left.length === 0) {
    if (statusB === 'insufficient-data' || statusA === 'insufficient-data') reasons.push('clean data before/after differs under the window and minimum rules');
  }
  if (signChanged) reasons.push(`effect sign ${Math.sign(effectA!)} -> ${Math.sign(effectB!)}`);
  if (significanceChanged) reasons.push(`significant ${significantA} -> ${significantB}`);
  return {
    changeId: any.changeId,
    lessonId: any.lessonId,
    at: any.at,
    statusA,
    statusB,
    statusChanged: statusA !== statusB,
    confoundersEntered: entered,
    confoundersLeft: left,
    models,
    effectA,
    effectB,
    signChanged,
    significantA,
    significantB,
    significanceChanged,
    reason: reasons.join('; '),
  };
}

function modelDifferences(ea: Experiment | undefined, eb: Experiment | undefined): ModelDifference[] {
  const modelsA = ea?.models ?? {};
  const modelsB = eb?.models ?? {};
  const names = [...new Set([...Object.keys(modelsA), ...Object.keys(modelsB)])].sort();
  const out: ModelDifference[] = [];
  for (const model of names) {
    const a = modelsA[model];
    const b = modelsB[model];
    if (a?.status === b?.status) continue;
    const idsA = new Set(a?.confounders ?? []);
    const idsB = new Set(b?.confounders ?? []);
    out.push({
      model,
      statusA: a?.status ?? null,
      statusB: b?.status ?? null,
      confoundersEntered: [...idsB].filter((id) => !idsA.has(id)),
      confoundersLeft: [...idsA].filter((id) => !idsB.has(id)),
    });
  }
  return out;
}

/** One reason per group of models that changed the same way for the same confounders (a lesson change moves them all). */
function modelReasons(models: readonly ModelDifference[], known: Map<string, Confounder>): string[] {
  const name = (id: string) => {
    const c = known.get(id);
    return c ? `${c.kind} ${c.subject} at ${c.at} (${c.hoursFromChange} h)` : id;
  };
  const groups = new Map<string, { names: string[]; m: ModelDifference }>();
  for (const m of models) {
    const key = JSON.stringify([m.statusA, m.statusB, m.confoundersEntered, m.confoundersLeft]);
    const group = groups.get(key);
    if (group) group.names.push(m.model);
    else groups.set(key, { names: [m.model], m });
  }
  return [...groups.values()].map(({ names, m }) => {
    const why = [
      ...(m.confoundersEntered.length > 0 ? [`confounded by ${m.confoundersEntered.map(name).join(', ')}`] : []),
      ...(m.confoundersLeft.length > 0 ? [`no longer confounded by ${m.confoundersLeft.map(name).join(', ')}`] : []),
    ];
    const who = names.length === 1 ? `model ${names[0]}` : `models ${names.join(', ')}`;
    return `${who}: ${m.statusA ?? 'absent'} -> ${m.statusB ?? 'absent'}${why.length > 0 ? ` (${why.join('; ')})` : ''}`;
  });
}
