/**
 * An experiment's outcomes hour by hour across its before and after windows, per model, split into affected and
 * control tests: the picture behind the window sums (window-tallies.ts). Pure.
 */
import type { Counts } from './effect-estimate.js';
import { HOUR_MS } from './experiment-outcomes.js';
import type { BucketIndex } from './window-tallies.js';

export interface SeriesPoint {
  /** Start of the hour (ISO-8601). */
  hour: string;
  /** Hours from the change's hour: negative before, positive after, 0 the change's own hour (in no window). */
  offset: number;
  affected: Counts;
  control: Counts;
}

export interface ModelSeries {
  model: string;
  points: SeriesPoint[];
}

/**
 * Hours with outcomes from `windowHours` before the change's hour to `windowHours` after it, the change's own hour
 * included (flagged by offset 0) so the picture shows what the windows leave out. Models in name order, `all` the
 * sum over them.
 */
export function windowSeries(changeAt: string, affected: ReadonlySet<string>, index: BucketIndex, windowHours: number): { all: SeriesPoint[]; models: ModelSeries[] } {
  const changeHour = Math.floor(Date.parse(changeAt) / HOUR_MS);
  const span = Math.ceil(windowHours);
  const all: SeriesPoint[] = [];
  const byModel = new Map<string, SeriesPoint[]>();
  const point = (hour: number, offset: number): SeriesPoint => ({
    hour: new Date(hour * HOUR_MS).toISOString(), offset, affected: { passed: 0, failed: 0 }, control: { passed: 0, failed: 0 },
  });
  for (let offset = -span; offset <= span; offset += 1) {
    const hour = changeHour + offset;
    const buckets = index.byHour.get(hour);
    if (!buckets || buckets.length === 0) continue;
    const sum = point(hour, offset);
    const perModel = new Map<string, SeriesPoint>();
    for (const bucket of buckets) {
      let own = perModel.get(bucket.model);
      if (!own) perModel.set(bucket.model, (own = point(hour, offset)));
      for (const target of [sum, own]) {
        const side = affected.has(bucket.test) ? target.affected : target.control;
        side.passed += bucket.passed;
        side.failed += bucket.failed;
      }
    }
    all.push(sum);
    for (const [model, own] of perModel) {
      let list = byModel.get(model);
      if (!list) byModel.set(model, (list = []));
      list.push(own);
    }
  }
  const models = [...byModel].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([model, points]) => ({ model, points }));
  return { all, models };
}
