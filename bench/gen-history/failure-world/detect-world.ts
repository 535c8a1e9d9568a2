/**
 * Lesson-draft detection over the failure world in memory, through the same pure functions the detector runs
 * on the log: signatures from each failing outcome's conversation, windows of patterns, the covering-lesson
 * check, keywords judged against passing logs of the training days, the template drafter. Days stream through
 * one at a time (`advanceTo`), so a year holds one window of days.
 */
import { signaturesEventId, type LessonDraftProposedData } from '../../../contracts/drafts.js';
import { PatternDetector, type DetectedPattern, type DetectionSummary } from '../../../projections/drafts/detect-patterns.js';
import type { DraftRules } from '../../../projections/drafts/draft-rules.js';
import { testFamily } from '../../../projections/drafts/normalise.js';
import { dayOf, primarySignature, type OutcomeFact } from '../../../projections/drafts/pattern-facts.js';
import { extractSignatures, SIGNATURE_EXTRACTOR_VERSION } from '../../../projections/drafts/signatures.js';
import { chooseKeywords } from '../../../src/drafts/domain/choose-keywords.js';
import { coveringLesson, type KeywordLesson } from '../../../src/drafts/domain/covering-lesson.js';
import { draftProposal } from '../../../src/drafts/domain/draft-proposal.js';
import { selectPassingSample } from '../../../src/drafts/domain/passing-sample.js';
import { templateProse } from '../../../src/drafts/drafter/template-drafter.js';
import { plantFailureWorld, simulateDay, type FailureWorldTruth, type WorldOutcome } from './simulate-failures.js';
import type { FailureWorldConfig } from './world-config.js';

export interface WorldDetection {
  truth: FailureWorldTruth;
  lessons: KeywordLesson[];
  patterns: DetectedPattern[];
  covered: Map<string, string>;
  proposals: LessonDraftProposedData[];
  summary: DetectionSummary;
  failingLogs: number;
  outcomes: number;
  /** Milliseconds spent generating the world (simulateDay), not detecting: the bench reports detection apart. */
  simulateMs: number;
}

/** 32 bits of FNV-1a from a chosen offset basis. */
function fnv(text: string, basis: number): string {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/**
 * An outcome's stand-in event id: uuid-shaped, derived from (run, model, test) by four FNV-1a hashes (a year of
 * the full world is 1.45M outcomes; a SHA-1 uuid each was a fifth of the bench's CPU, and ids only need to be
 * distinct and stable here).
 */
export function worldOutcomeId(o: Pick<WorldOutcome, 'runId' | 'model' | 'test'>): string {
  const key = `${o.runId}|${o.model}|${o.test}`;
  const hex = fnv(key, 0x811c9dc5) + fnv(key, 0x9e3779b9) + fnv(key, 0x85ebca6b) + fnv(key, 0xc2b2ae35);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const conversationText = (o: WorldOutcome) => (o.messages ?? []).map((m) => m.content).join('\n');

/** The lessons planted with the world: one active lesson per covered pattern, its keyword matching the error. */
export function plantedLessons(truth: FailureWorldTruth): KeywordLesson[] {
  return truth.patterns.filter((p) => p.lessonOf === p.id).map((p) => ({ lessonId: `planted-${p.id}`, status: 'active', keywords: [p.lessonKeyword] }));
}

function outcomeFact(o: WorldOutcome, position: number): OutcomeFact {
  return {
    eventId: worldOutcomeId(o),
    globalPosition: String(position),
    runId: o.runId,
    test: o.test,
    model: o.model,
    occurredAt: o.occurredAt,
    timeMs: Date.parse(o.occurredAt),
    passed: o.passed,
    suspectedInfraError: o.suspectedInfraError,
  };
}

export function detectWorld(config: FailureWorldConfig, rules: DraftRules, onDay?: (day: number) => void): WorldDetection {
  const truth = plantFailureWorld(config);
  const detector = new PatternDetector(rules);
  let position = 0;
  let failingLogs = 0;
  let outcomes = 0;
  const clock = { simulateMs: 0 };
  for (let day = 0; day < config.days; day++) {
    const world = timed(clock, () => simulateDay(config, truth, day));
    for (const o of world.outcomes) {
      const fact = outcomeFact(o, ++position);
      outcomes += 1;
      detector.addOutcome(fact);
      if (o.passed || o.suspectedInfraError || o.messages === null) continue;
      failingLogs += 1;
      const primary = primarySignature(extractSignatures(o.messages).signatures);
      if (primary === null) continue;
      detector.addFailure({
        outcome: fact,
        family: testFamily(o.test),
        signature: primary,
        signatureEventId: signaturesEventId(fact.eventId, SIGNATURE_EXTRACTOR_VERSION),
        signatureGlobalPosition: String(++position),
      });
    }
    detector.advanceTo(dayOf(Date.parse(world.startedAt)) + 1);
    onDay?.(day);
  }
  const { patterns, summary } = detector.finish();
  const lessons = plantedLessons(truth);
  const covered = new Map<string, string>();
  const proposals: LessonDraftProposedData[] = [];
  const passing = passingByWindow(config, truth, patterns, clock);
  for (const pattern of patterns) {
    const lesson = coveringLesson(pattern, lessons);
    if (lesson !== null) {
      covered.set(pattern.key, lesson);
      continue;
    }
    const candidates = passing.get(pattern.training.from) ?? [];
    const sample = selectPassingSample(candidates, pattern.family, rules.draftPassingSample).map((c) => c.text);
    const keywords = chooseKeywords(pattern, sample, rules);
    proposals.push(draftProposal(pattern, keywords, templateProse({ pattern, keywords }), 'template', { id: 'default', version: 0 }));
  }
  return { truth, lessons, patterns, covered, proposals, summary, failingLogs, outcomes, simulateMs: clock.simulateMs };
}

/** Passing outcomes that keep a log, per training window start, read again from their days. */
function timed<T>(clock: { simulateMs: number }, fn: () => T): T {
  const started = performance.now();
  try {
    return fn();
  } finally {
    clock.simulateMs += performance.now() - started;
  }
}

function passingByWindow(config: FailureWorldConfig, truth: FailureWorldTruth, patterns: readonly DetectedPattern[], clock: { simulateMs: number }) {
  const out = new Map<string, { id: string; family: string; text: string }[]>();
  const first = Date.parse(`${config.startDate}T00:00:00Z`);
  for (const pattern of patterns) {
    if (out.has(pattern.training.from)) continue;
    const list: { id: string; family: string; text: string }[] = [];
    const from = Math.max(0, Math.floor((Date.parse(pattern.training.from) - first) / 86_400_000));
    const to = Math.min(config.days, Math.ceil((Date.parse(pattern.training.to) - first) / 86_400_000));
    for (let day = from; day < to; day++) {
      for (const o of timed(clock, () => simulateDay(config, truth, day)).outcomes) {
        if (o.passed && o.messages !== null) list.push({ id: worldOutcomeId(o), family: testFamily(o.test), text: conversationText(o) });
      }
    }
    out.set(pattern.training.from, list);
  }
  return out;
}
