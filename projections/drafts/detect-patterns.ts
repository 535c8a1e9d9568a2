/**
 * Recurring failure patterns over the whole history, window by window (window-analysis.ts). Outcomes and
 * failures are added in any order; `advanceTo(day)` analyses the windows that end by then and forgets the days
 * no later window needs, so a reader fed in time order holds a window of days, not the history. A pattern is
 * keyed by (signature, test family); windows that find it again add to it. Its keywords are chosen on the
 * first window that found it (its training days) and judged on the days after. Pure.
 */
import type { SignatureKind } from '../../contracts/drafts.js';
import { MAX_DRAFT_EVIDENCE } from '../../contracts/drafts.js';
import type { DraftRules } from './draft-rules.js';
import { dayOf, dayStartIso, type FailureFact, type OutcomeFact } from './pattern-facts.js';
import { testFamily } from './normalise.js';
import { addOutcomeToDay, analyseWindow, newWindowDay, type WindowDay, type WindowExclusions, type WindowPattern } from './window-analysis.js';

/** Failing outcomes of its training days a pattern keeps for choosing keywords. */
export const MAX_TRAINING_FAILURES = 100;

export interface DetectedPattern {
  key: string;
  kind: SignatureKind;
  signature: string;
  family: string;
  exemplar: string;
  tests: string[];
  models: string[];
  runs: number;
  failures: number;
  firstSeen: string;
  lastSeen: string;
  evidence: FailureFact[];
  training: { from: string; to: string; failures: FailureFact[] };
  statistics: { familyOutcomes: number; backgroundRate: number; pValue: number; qValue: number };
}

interface PatternAccumulator {
  pattern: DetectedPattern;
  outcomeIds: Set<string>;
  runIds: Set<string>;
  tests: Set<string>;
  models: Set<string>;
}

export interface DetectionSummary {
  windows: number;
  excluded: { infra: number; flaky: number; notEnriched: number };
}

const byTimeThenId = (a: FailureFact, b: FailureFact) =>
  a.outcome.timeMs - b.outcome.timeMs || (a.outcome.eventId < b.outcome.eventId ? -1 : a.outcome.eventId > b.outcome.eventId ? 1 : 0);

export class PatternDetector {
  private readonly days = new Map<number, WindowDay>();
  private nextWindowStart: number | null = null;
  private lastDay: number | null = null;
  private readonly patterns = new Map<string, PatternAccumulator>();
  private readonly excludedKeys = { infra: new Set<string>(), flaky: new Set<string>(), notEnriched: new Set<string>() };
  private windows = 0;

  constructor(private readonly rules: DraftRules) {}

  addOutcome(outcome: OutcomeFact): void {
    addOutcomeToDay(this.day(dayOf(outcome.timeMs)), outcome, testFamily(outcome.test));
  }

  addFailure(failure: FailureFact): void {
    this.day(dayOf(failure.outcome.timeMs)).failures.push(failure);
  }

  /** Analyses every window that ends on or before `day` (exclusive) and drops the days only they covered. */
  advanceTo(day: number): void {
    const { draftWindowDays: width, draftWindowStepDays: step } = this.rules;
    while (this.nextWindowStart !== null && this.nextWindowStart + width <= day) {
      this.analyse(this.nextWindowStart);
      this.nextWindowStart += step;
      for (const d of this.days.keys()) if (d < this.nextWindowStart) this.days.delete(d);
    }
  }

  finish(): { patterns: DetectedPattern[]; summary: DetectionSummary } {
    if (this.nextWindowStart !== null && this.lastDay !== null) {
      while (this.nextWindowStart <= this.lastDay) {
        this.analyse(this.nextWindowStart);
        this.nextWindowStart += this.rules.draftWindowStepDays;
      }
    }
    this.days.clear();
    const patterns = [...this.patterns.values()].map((acc) => ({
      ...acc.pattern,
      tests: [...acc.tests].sort(),
      models: [...acc.models].sort(),
      runs: acc.runIds.size,
      failures: acc.outcomeIds.size,
    }));
    patterns.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const found = new Set(this.patterns.keys());
    const count = (keys: Set<string>) => [...keys].filter((k) => !found.has(k)).length;
    return {
      patterns,
      summary: {
        windows: this.windows,
        excluded: { infra: count(this.excludedKeys.infra), flaky: count(this.excludedKeys.flaky), notEnriched: count(this.excludedKeys.notEnriched) },
      },
    };
  }

  private day(day: number): WindowDay {
    let bucket = this.days.get(day);
    if (!bucket) {
      bucket = newWindowDay();
      this.days.set(day, bucket);
      const { draftWindowDays: width, draftWindowStepDays: step } = this.rules;
      const first = Math.floor((day - width) / step) * step + step;
      if (this.nextWindowStart === null || first < this.nextWindowStart) this.nextWindowStart = first;
      if (this.lastDay === null || day > this.lastDay) this.lastDay = day;
    }
    return bucket;
  }

  private analyse(start: number): void {
    const days: WindowDay[] = [];
    for (let d = start; d < start + this.rules.draftWindowDays; d++) {
      const bucket = this.days.get(d);
      if (bucket) days.push(bucket);
    }
    if (days.length === 0) return;
    this.windows += 1;
    const { patterns, excluded } = analyseWindow(days, this.rules);
    this.remember(excluded);
    for (const found of patterns) this.merge(found, start);
  }

  private remember(excluded: WindowExclusions): void {
    for (const k of excluded.infra) this.excludedKeys.infra.add(k);
    for (const k of excluded.flaky) this.excludedKeys.flaky.add(k);
    for (const k of excluded.notEnriched) this.excludedKeys.notEnriched.add(k);
  }

  private merge(found: WindowPattern, start: number): void {
    const sorted = found.failures.slice().sort(byTimeThenId);
    let acc = this.patterns.get(found.key);
    if (!acc) {
      const first = sorted[0]!;
      acc = {
        pattern: {
          key: found.key,
          kind: first.signature.kind,
          signature: first.signature.key,
          family: found.family,
          exemplar: first.signature.excerpt,
          tests: [],
          models: [],
          runs: 0,
          failures: 0,
          firstSeen: first.outcome.occurredAt,
          lastSeen: first.outcome.occurredAt,
          evidence: [],
          training: { from: dayStartIso(start), to: dayStartIso(start + this.rules.draftWindowDays), failures: sorted.slice(0, MAX_TRAINING_FAILURES) },
          statistics: { familyOutcomes: found.familyOutcomes, backgroundRate: found.backgroundRate, pValue: found.pValue, qValue: found.qValue },
        },
        outcomeIds: new Set(),
        runIds: new Set(),
        tests: new Set(),
        models: new Set(),
      };
      this.patterns.set(found.key, acc);
    }
    const p = acc.pattern;
    for (const f of sorted) {
      if (acc.outcomeIds.has(f.outcome.eventId)) continue;
      acc.outcomeIds.add(f.outcome.eventId);
      acc.runIds.add(f.outcome.runId);
      acc.tests.add(f.outcome.test);
      acc.models.add(f.outcome.model);
      if (f.outcome.occurredAt < p.firstSeen) p.firstSeen = f.outcome.occurredAt;
      if (f.outcome.occurredAt > p.lastSeen) p.lastSeen = f.outcome.occurredAt;
      if (p.evidence.length < MAX_DRAFT_EVIDENCE) p.evidence.push(f);
    }
  }
}
