/** Hourly outcome buckets indexed by hour, and their sums over an experiment's before and after windows. Pure. */
import { emptyTally, type Tally } from './effect-estimate.js';
import type { OutcomeBucket } from './experiment-outcomes.js';

/** The buckets by hour, for window sums. */
export interface BucketIndex {
  byHour: Map<number, OutcomeBucket[]>;
  tests: string[];
}

export function indexBuckets(buckets: Iterable<OutcomeBucket>): BucketIndex {
  const byHour = new Map<number, OutcomeBucket[]>();
  const tests = new Set<string>();
  for (const bucket of buckets) {
    let list = byHour.get(bucket.hour);
    if (!list) byHour.set(bucket.hour, (list = []));
    list.push(bucket);
    tests.add(bucket.test);
  }
  return { byHour, tests: [...tests].sort() };
}

/** Per model: the outcomes of the `windowHours` hours before and after the change's hour (not in it). */
export function tallyWindows(changeHour: number, affected: Set<string>, index: BucketIndex, windowHours: number): Map<string, Tally> {
  const tallies = new Map<string, Tally>();
  const span = Math.ceil(windowHours);
  for (let offset = -span; offset <= span; offset += 1) {
    if (offset === 0) continue;
    for (const bucket of index.byHour.get(changeHour + offset) ?? []) {
      let tally = tallies.get(bucket.model);
      if (!tally) tallies.set(bucket.model, (tally = emptyTally()));
      const side = affected.has(bucket.test)
        ? offset < 0 ? 'affectedBefore' : 'affectedAfter'
        : offset < 0 ? 'controlBefore' : 'controlAfter';
      tally[side].passed += bucket.passed;
      tally[side].failed += bucket.failed;
    }
  }
  return tallies;
}
