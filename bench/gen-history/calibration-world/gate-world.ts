/**
 * Replays for the CI gate (projections/eval/ci-gate.ts), in memory and seeded: one candidate run of `models`
 * models on `tests` tests after `baselineRuns` history runs. The history has one outcome per (model, test, run),
 * as gptme runs it; the candidate has `attempts` attempts per test (a CI step reruns the suite). Pass
 * probabilities are the calibration world's stationary ones (world.ts: catalogue skills and difficulties, no
 * trend, no incident). A/A: nothing changes. Planted: on `plant.tests` tests of one model the pass probability
 * is `plant.from` in the history and `plant.to` in the candidate (the ground truth is the planted list).
 */
import type { CiGateSeriesInput } from '../../../projections/eval/ci-gate.js';
import type { RunAttempts } from '../../../projections/eval/trends.js';
import { forkRandom } from '../random.js';
import { aaWorld, DAY_MS } from './world.js';
import { WORLD_FORMAT } from './replay.js';

export interface GateReplayOptions {
  seed: number;
  models: number;
  tests: number;
  baselineRuns: number;
  attempts: number;
  plant?: { tests: number; from: number; to: number };
}

export interface GateReplay {
  input: CiGateSeriesInput[];
  /** The planted series (model, test names); empty in A/A. */
  planted: { model: string; test: string }[];
}

const FIRST_DAY = Date.parse('2026-01-01T02:00:00Z');

/** The stationary pass probabilities of a world shape (cached: the catalogue is the costly part). */
const rateCache = new Map<string, ReturnType<typeof aaWorld>>();
function rates(seed: number, models: number, tests: number) {
  const key = `${seed}|${models}|${tests}`;
  let world = rateCache.get(key);
  if (!world) rateCache.set(key, (world = aaWorld({ seed, models, tests, days: 0, modelsPerRun: models })));
  return world;
}

/**
 * One replay. The catalogue (model skills, test difficulties) is the world seed's `seed % 3 + 1` so a few shapes
 * are reused; the outcomes are drawn from the replay's own seed.
 */
export function gateReplay(options: GateReplayOptions): GateReplay {
  const { seed, models, tests, baselineRuns, attempts } = options;
  const world = rates((seed % 3) + 1, models, tests);
  const random = forkRandom(seed, 'gate-replay');
  const planted = new Set<number>();
  if (options.plant) {
    const m = random.int(0, models - 1);
    while (planted.size < Math.min(options.plant.tests, tests)) planted.add(m * tests + random.int(0, tests - 1));
  }
  const times = Array.from({ length: baselineRuns + 1 }, (_, r) => new Date(FIRST_DAY + r * DAY_MS).toISOString());
  const runIds = Array.from({ length: baselineRuns }, (_, r) => `gate-${seed}-r${r}`);
  const input: CiGateSeriesInput[] = [];
  for (let m = 0; m < models; m++) {
    for (let t = 0; t < tests; t++) {
      const key = m * tests + t;
      const plant = planted.has(key) ? options.plant! : null;
      const before = plant ? plant.from : world.baseRate[key]!;
      const after = plant ? plant.to : before;
      const baseline: RunAttempts[] = [];
      for (let r = baselineRuns - 1; r >= 0; r--) {
        baseline.push({ at: `${times[r]}|${runIds[r]}`, runId: runIds[r]!, n: 1, c: random.next() < before ? 1 : 0, time: times[r]! });
      }
      let c = 0;
      for (let a = 0; a < attempts; a++) c += random.next() < after ? 1 : 0;
      const runId = `gate-${seed}-candidate`;
      const candidate = { at: `${times[baselineRuns]}|${runId}`, runId, n: attempts, c, time: times[baselineRuns]! };
      input.push({ model: world.models[m]!, format: WORLD_FORMAT, test: world.tests[t]!, candidate, baseline, infraErrors: 0 });
    }
  }
  const planted2 = [...planted].map((key) => ({ model: world.models[Math.floor(key / tests)]!, test: world.tests[key % tests]! }));
  return { input, planted: planted2 };
}
