/**
 * The planted failure world (pure, seeded): tests in families, models, one run a day holding every model.
 * Planted recurring patterns fail some tests of one family on some models for a stretch of days with one
 * error; noise is generic errors on every test at one background rate, one-off errors, provider errors (infra
 * rows: under 5 s, no tokens), one family's network outage, and flaky tests failing on every model half the
 * time. Some patterns are covered by a planted lesson. Days are drawn one at a time from their own seed, so a
 * year streams in constant memory.
 */
import { runFolderName } from '../../../src/ingest/gptme/run-folder.js';
import { seededRandom, type Random } from '../random.js';
import { conversation, type WorldMessage } from './conversations.js';
import { fillLine, FLAKY_ERROR, GENERIC_ERRORS, INFRA_ERRORS, INFRA_OUTAGE_ERROR, oneOffError, PATTERN_ERRORS, type ErrorKind } from './error-catalogue.js';
import type { FailureWorldConfig } from './world-config.js';

const FAMILY_NAMES = [
  'json-parse', 'csv-report', 'rust-cli', 'web-fetch', 'sqlite-crud', 'git-init', 'regex-extract', 'file-rename',
  'http-server', 'unit-tests', 'date-format', 'word-count', 'image-resize', 'log-summary', 'config-merge', 'url-shorten',
  'markdown-toc', 'cron-parse', 'matrix-ops', 'prime-sieve', 'tree-walk', 'diff-apply', 'yaml-convert', 'env-check',
  'cache-lru', 'queue-sim', 'stats-mean', 'html-scrape', 'zip-archive', 'shell-pipe', 'graph-bfs', 'text-wrap', 'api-client',
];

export interface PlantedPattern {
  id: string;
  kind: ErrorKind;
  line: string;
  family: string;
  tests: string[];
  models: string[];
  fromDay: number;
  toDay: number;
  failRate: number;
  /** Whether an active planted lesson's keyword matches the error (no draft should come of it). */
  covered: boolean;
  /** The pattern whose planted lesson covers this one (itself when it was planted with a lesson), or null. */
  lessonOf: string | null;
  lessonKeyword: string;
  topic: string;
}

export interface FailureWorldTruth {
  models: string[];
  tests: string[];
  patterns: PlantedPattern[];
  flakyTests: string[];
  outage: { family: string; fromDay: number; toDay: number };
}

export type FailureCause = 'pass' | 'pattern' | 'generic' | 'one-off' | 'infra' | 'outage' | 'flaky';

export interface WorldOutcome {
  runId: string;
  day: number;
  occurredAt: string;
  model: string;
  test: string;
  passed: boolean;
  suspectedInfraError: boolean;
  cause: FailureCause;
  patternId: string | null;
  /** `<runId>/<model>/<test>` (a Log Dir under the root), or null when no log is kept. */
  logDir: string | null;
  messages: WorldMessage[] | null;
}

export interface WorldDay {
  day: number;
  runId: string;
  startedAt: string;
  outcomes: WorldOutcome[];
}

export function plantFailureWorld(config: FailureWorldConfig): FailureWorldTruth {
  if (config.families > FAMILY_NAMES.length) throw new Error(`at most ${FAMILY_NAMES.length} families`);
  const random = seededRandom(config.seed);
  const models = Array.from({ length: config.models }, (_, i) => `provider/model-${String(i + 1).padStart(2, '0')}`);
  const families = FAMILY_NAMES.slice(0, config.families);
  const tests = families.flatMap((f) => Array.from({ length: config.testsPerFamily }, (_, k) => `${f}-${k + 1}`));
  const outageFamily = families[families.length - 1]!;
  const flakyTests = shuffled(tests.filter((t) => !t.startsWith(`${outageFamily}-`)), random).slice(0, config.flakyTests);
  // Each error once before any repeats (a repeat lands on another family).
  const errors = shuffled(PATTERN_ERRORS, random);
  const patterns: PlantedPattern[] = [];
  for (let i = 0; i < config.patterns; i++) {
    const family = families[i % (families.length - 1)]!;
    const error = errors[(i + Math.floor(i / errors.length)) % errors.length]!;
    const candidates = tests.filter((t) => t.startsWith(`${family}-`) && !flakyTests.includes(t));
    const length = random.int(config.stretchDays[0], config.stretchDays[1]);
    const fromDay = random.int(0, Math.max(0, config.days - length));
    patterns.push({
      id: `pattern-${String(i + 1).padStart(2, '0')}`,
      kind: error.kind,
      line: error.line,
      family,
      tests: shuffled(candidates, random).slice(0, random.int(config.patternTests[0], config.patternTests[1])).sort(),
      models: shuffled(models, random).slice(0, random.int(config.patternModels[0], config.patternModels[1])).sort(),
      fromDay,
      toDay: fromDay + length,
      failRate: config.patternFailRate[0] + random.next() * (config.patternFailRate[1] - config.patternFailRate[0]),
      covered: i < config.coveredPatterns,
      lessonOf: i < config.coveredPatterns ? `pattern-${String(i + 1).padStart(2, '0')}` : null,
      lessonKeyword: error.lessonKeyword,
      topic: error.topic,
    });
  }
  const withLessons = patterns.filter((p) => p.lessonOf === p.id);
  for (const p of patterns) {
    const lesson = p.covered ? undefined : withLessons.find((l) => p.line.toLowerCase().includes(l.lessonKeyword.toLowerCase()));
    if (lesson) [p.covered, p.lessonOf] = [true, lesson.id];
  }
  const outageFrom = random.int(0, Math.max(0, config.days - config.infraOutageDays));
  return { models, tests, patterns, flakyTests, outage: { family: outageFamily, fromDay: outageFrom, toDay: outageFrom + config.infraOutageDays } };
}

function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** One day of the world: its run and every outcome, with the conversation of those that keep a log. */
export function simulateDay(config: FailureWorldConfig, truth: FailureWorldTruth, day: number): WorldDay {
  const random = seededRandom((config.seed * 1_000_003 + day * 7919) >>> 0);
  const start = Date.parse(`${config.startDate}T02:00:00Z`) + day * 86_400_000;
  const startedAt = new Date(start).toISOString();
  const runId = runFolderName(new Date(start));
  const active = truth.patterns.filter((p) => day >= p.fromDay && day < p.toDay);
  const outage = day >= truth.outage.fromDay && day < truth.outage.toDay;
  const outcomes: WorldOutcome[] = [];
  for (const model of truth.models) {
    for (const test of truth.tests) {
      let cause: FailureCause = 'pass';
      let line: string | null = null;
      let kind: ErrorKind = 'exception';
      let patternId: string | null = null;
      const pattern = active.find((p) => p.tests.includes(test) && p.models.includes(model));
      if (pattern && random.chance(pattern.failRate)) {
        [cause, line, kind, patternId] = ['pattern', pattern.line, pattern.kind, pattern.id];
      } else if (truth.flakyTests.includes(test) && random.chance(config.flakyFailRate)) {
        [cause, line] = ['flaky', FLAKY_ERROR];
      } else if (outage && test.startsWith(`${truth.outage.family}-`) && random.chance(config.infraOutageRate)) {
        [cause, line] = ['outage', INFRA_OUTAGE_ERROR];
      } else {
        const r = random.next();
        if (r < config.genericRate) [cause, line] = ['generic', random.pick(GENERIC_ERRORS)];
        else if (r < config.genericRate + config.oneOffRate) [cause, line] = ['one-off', oneOffError(random)];
        else if (r < config.genericRate + config.oneOffRate + config.infraRate) [cause, line] = ['infra', random.pick(INFRA_ERRORS)];
      }
      const passed = cause === 'pass';
      const keepsLog = !passed || random.chance(config.passingLogShare);
      const logDir = keepsLog ? `${runId}/${model.replace('/', '--')}/${test}` : null;
      const messages = keepsLog ? conversation(test, line === null ? null : { kind, line: fillLine(line, random) }, random) : null;
      outcomes.push({ runId, day, occurredAt: startedAt, model, test, passed, suspectedInfraError: cause === 'infra', cause, patternId, logDir, messages });
    }
  }
  return { day, runId, startedAt, outcomes };
}

export function* simulateFailureWorld(config: FailureWorldConfig, truth: FailureWorldTruth = plantFailureWorld(config)): Generator<WorldDay> {
  for (let day = 0; day < config.days; day++) yield simulateDay(config, truth, day);
}
