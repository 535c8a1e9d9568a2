/**
 * One line per tool format on a shared time axis. A format's runs are joined with `undefined` where another
 * format ran (uPlot bridges those), and a gap longer than GAP_RUNS times that format's median spacing between
 * runs gets a `null` (uPlot leaves it open): a six-month pause is not drawn as a straight line.
 */
export const GAP_RUNS = 4;

export interface FormatPoints {
  format: string;
  points: { at: string; passRate: number | null }[];
}

type Value = number | null | undefined;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The gaps (x of an open point, seconds) of one format's run times. */
export function gapsOf(times: number[]): number[] {
  if (times.length < 3) return [];
  const steps = times.slice(1).map((t, i) => t - times[i]!);
  const limit = GAP_RUNS * median(steps);
  const gaps: number[] = [];
  steps.forEach((step, i) => {
    if (limit > 0 && step > limit) gaps.push(times[i]! + step / 2);
  });
  return gaps;
}

/** x (unix seconds, ascending) and one value list per format, aligned. */
export function formatLines(formats: FormatPoints[]): { x: number[]; values: Value[][]; gaps: number } {
  const columns = new Map<number, Value[]>();
  const at = (x: number) => {
    let row = columns.get(x);
    if (!row) columns.set(x, (row = formats.map(() => undefined)));
    return row;
  };
  let gaps = 0;
  formats.forEach((f, i) => {
    const times = f.points.map((p) => Date.parse(p.at) / 1000);
    f.points.forEach((p, j) => { at(times[j]!)[i] = p.passRate; });
    for (const gap of gapsOf(times)) {
      at(gap)[i] = null;
      gaps += 1;
    }
  });
  const x = [...columns.keys()].sort((a, b) => a - b);
  return { x, values: formats.map((_, i) => x.map((t) => columns.get(t)![i])), gaps };
}
