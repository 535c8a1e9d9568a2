/**
 * gptme's rules for the pass-rate gate file, re-implemented from the facts of gptme/eval/pass_rate_gate.py (and
 * its tests): the file is JSON; a top-level `lookup` object is required; `lookup[model][eval].gate_recommendation`
 * of `inject` or `suppress` is an override, anything else (or a missing pair) is `default`; a model given as
 * `openrouter/<m>` falls back to `<m>` when the exact key is absent. The documented entry fields are checked too:
 * `baseline`, `holdout`, `delta` numbers, `baseline_n`, `holdout_n` counts, `effect` a string.
 */
export type GateDecision = 'inject' | 'suppress' | 'default';

export function loadGateFile(text: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`Invalid pass-rate gate JSON: ${(error as Error).message}`);
  }
  const lookup = (data as { lookup?: unknown } | null)?.lookup;
  if (data === null || typeof data !== 'object' || lookup === null || typeof lookup !== 'object' || Array.isArray(lookup)) {
    throw new Error("Pass-rate gate JSON missing top-level 'lookup' dict");
  }
  return data as Record<string, unknown>;
}

/** Problems with the documented per-pair fields (empty: the file is as gptme documents it). */
export function entryProblems(data: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [model, evals] of Object.entries(data.lookup as Record<string, unknown>)) {
    if (evals === null || typeof evals !== 'object' || Array.isArray(evals)) {
      problems.push(`${model}: not an object`);
      continue;
    }
    for (const [evalName, entry] of Object.entries(evals as Record<string, Record<string, unknown>>)) {
      const at = `${model}/${evalName}`;
      for (const f of ['baseline', 'holdout', 'delta']) if (typeof entry[f] !== 'number' || !Number.isFinite(entry[f])) problems.push(`${at}.${f}: not a number`);
      for (const f of ['baseline_n', 'holdout_n']) if (!Number.isInteger(entry[f]) || (entry[f] as number) < 0) problems.push(`${at}.${f}: not a count`);
      if (typeof entry.effect !== 'string') problems.push(`${at}.effect: not a string`);
      if (!['inject', 'suppress', 'default'].includes(entry.gate_recommendation as string)) problems.push(`${at}.gate_recommendation: ${String(entry.gate_recommendation)}`);
    }
  }
  return problems;
}

export function gateRecommendation(model: string, evalName: string, data: Record<string, unknown> | null): GateDecision {
  if (!data) return 'default';
  const lookup = (data.lookup ?? {}) as Record<string, Record<string, Record<string, unknown>> | undefined>;
  const find = (m: string) => lookup[m]?.[evalName]?.gate_recommendation;
  let rec = find(model);
  if (rec === undefined && model.startsWith('openrouter/')) rec = find(model.slice('openrouter/'.length));
  return rec === 'inject' || rec === 'suppress' ? rec : 'default';
}
