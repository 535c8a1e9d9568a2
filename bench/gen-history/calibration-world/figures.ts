/**
 * The calibration figures the issue asks for, from replays of A/A and power worlds (replay.ts):
 * - A/A: the share of families with any flagged regression, corrected and uncorrected (the uncorrected rule:
 *   p < alpha), for the series families (one run's series), the model pools and the test pools;
 * - power: the mean false discovery proportion over families; for every planted drop whose size is at least
 *   the MDE reported the day before it started, whether it is flagged (in its corrected family) by the run
 *   `runsToDetect` named; and whether each model-wide drop is found within 3 runs.
 */
import { runsToDetect } from '../../../projections/stats/detectable-drop.js';
import type { StatisticalRules } from '../../../projections/eval/trends.js';
import type { TrendsFdrRules } from '../../../projections/eval/trends-false-discovery.js';
import type { PooledTrendEntry } from '../../../projections/eval/trends-pooled.js';
import { replayTrends, type DaySnapshot } from './replay.js';
import { plantedDrop, type CalibrationWorld, type PlantedDrop } from './world.js';

/** A share with its binomial standard error. */
export interface Share {
  of: number;
  hits: number;
  share: number;
  se: number;
}

export function share(hits: number, of: number): Share {
  const p = of > 0 ? hits / of : 0;
  return { of, hits, share: p, se: of > 0 ? Math.sqrt((p * (1 - p)) / of) : 0 };
}

export type FamilyKind = 'series' | 'model pools' | 'test pools';
export const FAMILY_KINDS: readonly FamilyKind[] = ['series', 'model pools', 'test pools'];

/** One family on one day: its flags under the correction and under p < alpha. */
interface FamilyFlags {
  kind: FamilyKind;
  corrected: boolean[];
  uncorrected: boolean[];
  /** Index into the snapshot's entries (series) or pools. */
  members: number[];
}

function families(snapshot: DaySnapshot, rules: StatisticalRules, fdr: TrendsFdrRules): FamilyFlags[] {
  const out: FamilyFlags[] = [];
  const byKey = new Map<string, number[]>();
  snapshot.entries.forEach((e, i) => {
    if (e.p_regression === null) return;
    const key = fdr.fdrFamily === 'all' ? '' : (e.latest_run ?? '');
    (byKey.get(key) ?? byKey.set(key, []).get(key)!).push(i);
  });
  for (const members of byKey.values()) {
    out.push({
      kind: 'series',
      members,
      corrected: members.map((i) => snapshot.entries[i]!.label === 'regression'),
      uncorrected: members.map((i) => snapshot.entries[i]!.p_regression! < rules.alpha),
    });
  }
  const pools = (kind: FamilyKind, list: readonly PooledTrendEntry[], keyOf: (p: PooledTrendEntry) => string) => {
    const groups = new Map<string, number[]>();
    list.forEach((p, i) => (groups.get(keyOf(p)) ?? groups.set(keyOf(p), []).get(keyOf(p))!).push(i));
    for (const members of groups.values()) {
      out.push({ kind, members, corrected: members.map((i) => list[i]!.regression), uncorrected: members.map((i) => list[i]!.p_regression! < rules.alpha) });
    }
  };
  pools('model pools', snapshot.pooled.models, (p) => (fdr.fdrFamily === 'run' ? (p.latest_run ?? '') : ''));
  pools('test pools', snapshot.pooled.tests, () => '');
  return out;
}

export interface AaRow {
  kind: FamilyKind;
  /** Families with any corrected flag / with any p < alpha. */
  corrected: Share;
  uncorrected: Share;
  flagsCorrected: number;
  flagsUncorrected: number;
  hypotheses: number;
}

export function aaFigures(worlds: readonly CalibrationWorld[], rules: StatisticalRules, fdr: TrendsFdrRules, fromDay: number): AaRow[] {
  const rows = new Map(FAMILY_KINDS.map((kind) => [kind, { kind, fam: 0, anyC: 0, anyU: 0, flagsC: 0, flagsU: 0, hypotheses: 0 }]));
  for (const world of worlds) {
    replayTrends(world, { rules, fdr, fromDay }, (snapshot) => {
      for (const f of families(snapshot, rules, fdr)) {
        const row = rows.get(f.kind)!;
        const c = f.corrected.filter(Boolean).length;
        const u = f.uncorrected.filter(Boolean).length;
        row.fam += 1;
        row.anyC += c > 0 ? 1 : 0;
        row.anyU += u > 0 ? 1 : 0;
        row.flagsC += c;
        row.flagsU += u;
        row.hypotheses += f.members.length;
      }
    });
  }
  return [...rows.values()].map((r) => ({
    kind: r.kind,
    corrected: share(r.anyC, r.fam),
    uncorrected: share(r.anyU, r.fam),
    flagsCorrected: r.flagsC,
    flagsUncorrected: r.flagsU,
    hypotheses: r.hypotheses,
  }));
}

export interface PowerFigures {
  /** Mean false discovery proportion over families (a family without flags counts 0), per kind and all. */
  fdp: Record<FamilyKind | 'all', { families: number; mean: number; se: number; flags: number; falseFlags: number }>;
  /** Planted drops at least their reported MDE, flagged by the run `runsToDetect` named; per scope and all. */
  mde: Record<PlantedDrop['scope'] | 'all', Share>;
  /** Planted drops with no MDE (no drop detectable at their family's level) or one above their size. */
  belowMde: Record<PlantedDrop['scope'], number>;
  /** Model-wide drops flagged within 3 runs of their start in the corrected model-pool family. */
  modelWithin3: Share;
}

export function powerFigures(worlds: readonly CalibrationWorld[], rules: StatisticalRules, fdr: TrendsFdrRules, fromDay: number): PowerFigures {
  const fdp = new Map<FamilyKind, number[]>(FAMILY_KINDS.map((k) => [k, []]));
  const flagCounts = new Map<FamilyKind, { flags: number; falseFlags: number }>(FAMILY_KINDS.map((k) => [k, { flags: 0, falseFlags: 0 }]));
  const mde = { series: [0, 0], model: [0, 0], test: [0, 0] } as Record<PlantedDrop['scope'], [number, number]>;
  const belowMde = { series: 0, model: 0, test: 0 };
  const within3 = [0, 0];
  for (const world of worlds) {
    const drops = world.options.drops;
    // For each drop: the run (day) it should be flagged by, and whether it was flagged then; found within 3.
    const dueDay = new Map<PlantedDrop, number>();
    const found3 = new Set<PlantedDrop>();
    replayTrends(world, { rules, fdr, fromDay }, (snapshot) => {
      const dropping = (key: number) => seriesDropping(world, key, snapshot.day, rules);
      for (const f of families(snapshot, rules, fdr)) {
        let flags = 0;
        let falseFlags = 0;
        f.members.forEach((index, k) => {
          if (!f.corrected[k]) return;
          flags += 1;
          const truth = f.kind === 'series' ? dropping(snapshot.series[index]!) : poolDropping(world, f.kind, f.kind === 'model pools' ? snapshot.pooled.models[index]! : snapshot.pooled.tests[index]!, snapshot.day, rules);
          if (!truth) falseFlags += 1;
        });
        fdp.get(f.kind)!.push(flags > 0 ? falseFlags / flags : 0);
        flagCounts.get(f.kind)!.flags += flags;
        flagCounts.get(f.kind)!.falseFlags += falseFlags;
      }
      for (const drop of drops) {
        const unit = unitOf(world, snapshot, drop);
        if (drop.fromDay - 1 === snapshot.day) {
          const runs = runsToDetect(unit?.mde ?? null, drop.drop, rules.recent);
          if (runs === null) belowMde[drop.scope] += 1;
          else dueDay.set(drop, drop.fromDay + runs - 1);
        }
        if (dueDay.get(drop) === snapshot.day) {
          mde[drop.scope][1] += 1;
          if (unit?.flagged) mde[drop.scope][0] += 1;
        }
        if (drop.scope === 'model' && snapshot.day >= drop.fromDay && snapshot.day < drop.fromDay + 3 && unit?.flagged) found3.add(drop);
      }
    });
    for (const drop of drops) {
      if (drop.scope !== 'model') continue;
      within3[1] += 1;
      if (found3.has(drop)) within3[0] += 1;
    }
  }
  const fdpRow = (values: number[], counts: { flags: number; falseFlags: number }) => {
    const mean = values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
    const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1);
    return { families: values.length, mean, se: Math.sqrt(variance / Math.max(1, values.length)), ...counts };
  };
  const all = [...fdp.values()].flat();
  const allCounts = [...flagCounts.values()].reduce((s, c) => ({ flags: s.flags + c.flags, falseFlags: s.falseFlags + c.falseFlags }), { flags: 0, falseFlags: 0 });
  return {
    fdp: {
      series: fdpRow(fdp.get('series')!, flagCounts.get('series')!),
      'model pools': fdpRow(fdp.get('model pools')!, flagCounts.get('model pools')!),
      'test pools': fdpRow(fdp.get('test pools')!, flagCounts.get('test pools')!),
      all: fdpRow(all, allCounts),
    },
    mde: {
      series: share(...mde.series),
      model: share(...mde.model),
      test: share(...mde.test),
      all: share(mde.series[0] + mde.model[0] + mde.test[0], mde.series[1] + mde.model[1] + mde.test[1]),
    },
    belowMde,
    modelWithin3: share(within3[0]!, within3[1]!),
  };
}

/** The unit a drop is on, on that day: its series entry, its model pool or its test pool. */
function unitOf(world: CalibrationWorld, snapshot: DaySnapshot, drop: PlantedDrop): { mde: number | null; flagged: boolean } | undefined {
  if (drop.scope === 'series') {
    const i = snapshot.series.indexOf(drop.model! * world.tests.length + drop.test!);
    const e = snapshot.entries[i];
    return e ? { mde: e.mde_regression, flagged: e.label === 'regression' } : undefined;
  }
  const list = drop.scope === 'model' ? snapshot.pooled.models : snapshot.pooled.tests;
  const name = drop.scope === 'model' ? world.models[drop.model!] : world.tests[drop.test!];
  const p = list.find((x) => (drop.scope === 'model' ? x.model : x.test) === name);
  return p ? { mde: p.mde_regression, flagged: p.regression } : undefined;
}

/** Ground truth: the series' expected recent pass rate is below its expected baseline rate (every model runs daily). */
export function seriesDropping(world: CalibrationWorld, key: number, day: number, rules: StatisticalRules): boolean {
  const T = world.tests.length;
  const m = Math.floor(key / T);
  const t = key % T;
  const base = world.baseRate[key]!;
  const rate = (d: number) => Math.max(0, base - plantedDrop(world.options.drops, m, t, d));
  const mean = (from: number, to: number) => {
    let sum = 0;
    let n = 0;
    for (let d = Math.max(0, from); d <= to; d++, n++) sum += rate(d);
    return n > 0 ? sum / n : NaN;
  };
  const recent = mean(day - rules.recent + 1, day);
  const baseline = mean(day - rules.window + 1, day - rules.recent);
  return recent < baseline - 1e-12;
}

/** A pool is truly dropping when any of its series is. */
function poolDropping(world: CalibrationWorld, kind: FamilyKind, pool: PooledTrendEntry, day: number, rules: StatisticalRules): boolean {
  const T = world.tests.length;
  if (kind === 'model pools') {
    const m = world.models.indexOf(pool.model!);
    for (let t = 0; t < T; t++) if (seriesDropping(world, m * T + t, day, rules)) return true;
    return false;
  }
  const t = world.tests.indexOf(pool.test!);
  for (let m = 0; m < world.models.length; m++) if (seriesDropping(world, m * T + t, day, rules)) return true;
  return false;
}
