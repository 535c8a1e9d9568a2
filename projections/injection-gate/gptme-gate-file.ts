/**
 * The file gptme's eval runner reads through GPTME_EVAL_PASS_RATE_GATE_FILE (facts from gptme/eval/pass_rate_gate.py):
 * a JSON object with a `lookup` object, `lookup[model][eval]` holding `baseline` (pass rate with lessons),
 * `baseline_n`, `holdout` (without), `holdout_n`, `delta` (baseline - holdout), `effect` (`lessons_help`,
 * `lessons_hurt`, `neutral`) and `gate_recommendation` (`inject`, `suppress` or `default`; anything else is read
 * as default); an optional `summary` of models and evals. A pair with no outcome on one side is left out (gptme
 * answers `default` for a pair it does not find). Extra fields are ignored by gptme: the q-value, p,
 * and the holdout's sources are written beside the required ones. Pure.
 */
import type { GateRecommendation, PairGate } from './gate-decisions.js';

export interface GptmeGateEntry {
  baseline: number;
  baseline_n: number;
  holdout: number;
  holdout_n: number;
  delta: number;
  effect: 'lessons_help' | 'lessons_hurt' | 'neutral';
  gate_recommendation: GateRecommendation;
  p_value: number | null;
  q_value: number | null;
  holdout_sources: { coin: number; 'run-holdout': number };
}

export interface GptmeGateFile {
  summary: { models: string[]; evals: string[]; generated_by: string };
  lookup: Record<string, Record<string, GptmeGateEntry>>;
}

/** `raw`: the Model cell as written (`openai/gpt-4o@tool`); `name`: without the `@format` suffix. */
export type GateModelKey = 'raw' | 'name';

const round = (x: number | null) => Math.round((x ?? 0) * 10_000) / 10_000;

export function gptmeGateFile(gates: readonly PairGate[], modelKey: GateModelKey = 'raw'): GptmeGateFile {
  const lookup: GptmeGateFile['lookup'] = {};
  const keyOf = (model: string) => (modelKey === 'name' ? model.replace(/@[^@/]*$/, '') : model);
  for (const g of gates) {
    // A pair with no outcome on one side has no contrast: left out, which gptme reads as default.
    if (g.withLessons.n === 0 || g.withoutLessons.n === 0) continue;
    const model = keyOf(g.model);
    const byEval = (lookup[model] ??= {});
    // Two formats of one model under `name` keys are two contrasts, not one: the key says default.
    if (byEval[g.test]) {
      byEval[g.test] = { ...byEval[g.test]!, effect: 'neutral', gate_recommendation: 'default' };
      continue;
    }
    byEval[g.test] = {
      baseline: round(g.withLessons.passRate),
      baseline_n: g.withLessons.n,
      holdout: round(g.withoutLessons.passRate),
      holdout_n: g.withoutLessons.n,
      delta: round(g.delta),
      effect: g.recommendation === 'inject' ? 'lessons_help' : g.recommendation === 'suppress' ? 'lessons_hurt' : 'neutral',
      gate_recommendation: g.recommendation,
      p_value: g.p,
      q_value: g.q,
      holdout_sources: g.withoutLessons.sources,
    };
  }
  const models = Object.keys(lookup).sort();
  const evals = [...new Set(models.flatMap((m) => Object.keys(lookup[m]!)))].sort();
  return { summary: { models, evals, generated_by: 'lessonloop injection-gate export' }, lookup };
}
