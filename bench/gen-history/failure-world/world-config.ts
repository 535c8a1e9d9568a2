/** The shape of the planted failure world: how many of everything, and how often each kind of failure occurs. */
export interface FailureWorldConfig {
  seed: number;
  models: number;
  families: number;
  testsPerFamily: number;
  days: number;
  /** The first day, `YYYY-MM-DD` (UTC); one run a day at 02:00 holds every model. */
  startDate: string;
  patterns: number;
  /** How many of the patterns a planted lesson already covers (its keyword matches the error). */
  coveredPatterns: number;
  stretchDays: [number, number];
  patternModels: [number, number];
  patternTests: [number, number];
  patternFailRate: [number, number];
  /** Per outcome: generic errors (every test alike), one-off errors, provider errors (infra rows). */
  genericRate: number;
  oneOffRate: number;
  infraRate: number;
  /** Tests that fail on every model at this rate, day after day. */
  flakyTests: number;
  flakyFailRate: number;
  /** One family's network outage: every model fails its tests at this rate for these days. */
  infraOutageDays: number;
  infraOutageRate: number;
  /** Share of passing outcomes whose log is kept (failing ones always have one). */
  passingLogShare: number;
}

/** Small enough to run in memory in CI in a few seconds; large enough for the must-show figures. */
export const SMALL_FAILURE_WORLD: FailureWorldConfig = {
  seed: 18,
  models: 8,
  families: 12,
  testsPerFamily: 3,
  days: 84,
  startDate: '2026-01-05',
  patterns: 24,
  coveredPatterns: 6,
  stretchDays: [21, 30],
  patternModels: [3, 5],
  patternTests: [1, 2],
  patternFailRate: [0.85, 0.95],
  genericRate: 0.03,
  oneOffRate: 0.01,
  infraRate: 0.01,
  flakyTests: 3,
  flakyFailRate: 0.45,
  infraOutageDays: 8,
  infraOutageRate: 0.5,
  passingLogShare: 0.25,
};

/** The bench's year: 40 models x 99 tests x 365 days; about 5% of outcomes fail, each with a log; no passing logs. */
export const FULL_FAILURE_WORLD: FailureWorldConfig = {
  ...SMALL_FAILURE_WORLD,
  seed: 1,
  models: 40,
  families: 33,
  testsPerFamily: 3,
  days: 365,
  startDate: '2026-01-01',
  patterns: 60,
  coveredPatterns: 10,
  patternModels: [4, 10],
  genericRate: 0.02,
  oneOffRate: 0.005,
  infraRate: 0.005,
  passingLogShare: 0,
};
