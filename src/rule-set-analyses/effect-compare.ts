/**
 * Lesson effects under two rule sets side by side (e.g. other strata, another false-discovery method): each
 * lesson's randomized-holdout and stratified-LOO estimates under a and under b, from each rule set's
 * `lesson-effects` instance, and what differs: the sign, significance or discovery, or an estimate present under
 * one only. A rule set whose instance is not built is named with the command that builds it.
 */
import type { EffectMethod } from '../../projections/effects/estimate-effects.js';
import { lessonEffects } from '../../projections/effects/lesson-effects.js';
import { resolveRules } from '../../projections/machinery/projection.js';
import { readRuleSet } from '../rule-sets/rule-set-stream.js';
import type { SqlExecutor } from '../database/sql-client.js';
import { EffectsNotBuiltError, EffectsReader } from '../effects/effects-reader.js';
import type { EventStore } from '../event-store/event-store.port.js';

export const COMPARED_EFFECT_METHODS: readonly EffectMethod[] = ['randomized-holdout', 'stratified-loo'];

export interface EffectSide {
  effect: number | null;
  lower: number | null;
  upper: number | null;
  n: number;
  p: number | null;
  q: number | null;
  significant: boolean;
  discovery: boolean | null;
}

export interface EffectRow {
  lessonId: string;
  method: EffectMethod;
  a: EffectSide | null;
  b: EffectSide | null;
  /** What differs, or null when both rule sets conclude the same. */
  differs: string | null;
}

export type EffectComparison =
  | { built: true; rows: EffectRow[]; differences: number }
  | { built: false; notBuilt: { ruleSetId: string; build: string }[] };

type Row = EffectSide & { lessonId: string };

const side = ({ effect, lower, upper, n, p, q, significant, discovery }: Row): EffectSide => ({ effect, lower, upper, n, p, q, significant, discovery });

function difference(a: EffectSide | null, b: EffectSide | null): string | null {
  const [hasA, hasB] = [a !== null && a.effect !== null, b !== null && b.effect !== null];
  if (!hasA || !hasB) return hasA === hasB ? null : hasA ? 'estimated under a only' : 'estimated under b only';
  if (a === null || a.effect === null || b === null || b.effect === null) return null;
  const reasons: string[] = [];
  if (Math.sign(a.effect) !== Math.sign(b.effect)) reasons.push(`sign ${Math.sign(a.effect)} -> ${Math.sign(b.effect)}`);
  if (a.significant !== b.significant) reasons.push(a.significant ? 'significant under a only' : 'significant under b only');
  if (a.discovery !== b.discovery) reasons.push(a.discovery ? 'a discovery under a only' : 'a discovery under b only');
  return reasons.length === 0 ? null : reasons.join('; ');
}

/** Each lesson's rows under the two rule sets, in lesson order. Pure. */
export function compareEffectRows(method: EffectMethod, rowsA: readonly Row[], rowsB: readonly Row[]): EffectRow[] {
  const byA = new Map(rowsA.map((r) => [r.lessonId, side(r)]));
  const byB = new Map(rowsB.map((r) => [r.lessonId, side(r)]));
  return [...new Set([...byA.keys(), ...byB.keys()])].sort().map((lessonId) => {
    const a = byA.get(lessonId) ?? null;
    const b = byB.get(lessonId) ?? null;
    return { lessonId, method, a, b, differs: difference(a, b) };
  });
}

/** The instance answering for a rule set: the default one when the rule set leaves the effect rules alone. */
async function instanceRuleSet(store: EventStore, ruleSet: string): Promise<string> {
  if (ruleSet === 'default') return ruleSet;
  const defined = await readRuleSet(store, ruleSet);
  if (!defined) return ruleSet;
  const same = JSON.stringify(resolveRules(lessonEffects, defined.parameters)) === JSON.stringify(resolveRules(lessonEffects, undefined));
  return same ? 'default' : ruleSet;
}

export async function compareEffects(sql: SqlExecutor, store: EventStore, ruleSetA: string, ruleSetB: string): Promise<EffectComparison> {
  const reader = new EffectsReader(sql, store);
  const [a, b] = [await instanceRuleSet(store, ruleSetA), await instanceRuleSet(store, ruleSetB)];
  const rows: EffectRow[] = [];
  const notBuilt: { ruleSetId: string; build: string }[] = [];
  for (const method of COMPARED_EFFECT_METHODS) {
    const load = async (ruleSet: string) => {
      try {
        return await reader.allEffects(ruleSet, method);
      } catch (error) {
        if (!(error instanceof EffectsNotBuiltError)) throw error;
        if (!notBuilt.some((n) => n.ruleSetId === ruleSet)) notBuilt.push({ ruleSetId: ruleSet, build: `lessonloop projections rebuild lesson-effects${ruleSet === 'default' ? '' : ` --rule-set ${ruleSet}`}` });
        return null;
      }
    };
    const [rowsA, rowsB] = [await load(a), await load(b)];
    if (rowsA && rowsB) rows.push(...compareEffectRows(method, rowsA, rowsB));
  }
  if (notBuilt.length > 0) return { built: false, notBuilt };
  return { built: true, rows, differences: rows.filter((r) => r.differs !== null).length };
}
