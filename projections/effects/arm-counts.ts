/** Pass counts of the two arms of a comparison within one stratum (model x task category). */
export interface ArmCounts {
  n: number;
  passes: number;
}

export interface StratumTable {
  /** e.g. `m1|code`. */
  key: string;
  treated: ArmCounts;
  control: ArmCounts;
}

/** A point estimate of a risk difference (treated minus control pass rate) with its interval. */
export interface IntervalEstimate {
  /** null when no stratum holds both arms. */
  effect: number | null;
  se: number | null;
  lower: number | null;
  upper: number | null;
}

export const NO_ESTIMATE: IntervalEstimate = Object.freeze({ effect: null, se: null, lower: null, upper: null });

export function withInterval(effect: number, variance: number, z: number): IntervalEstimate {
  const se = Math.sqrt(Math.max(0, variance));
  return { effect, se, lower: effect - z * se, upper: effect + z * se };
}

export function totals(strata: readonly StratumTable[]): { treated: ArmCounts; control: ArmCounts } {
  const treated = { n: 0, passes: 0 };
  const control = { n: 0, passes: 0 };
  for (const s of strata) {
    treated.n += s.treated.n;
    treated.passes += s.treated.passes;
    control.n += s.control.n;
    control.passes += s.control.passes;
  }
  return { treated, control };
}
