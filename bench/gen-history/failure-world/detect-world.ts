/**
 * Lesson-draft detection over the failure world in memory, through the same pure functions the detector runs
 * on the log: signatures from each failing outcome's conversation, windows of patterns, the covering-lesson
 * check, keywords judged against passing logs of the training days, the template drafter. Days stream through
 * one at a time (`advanceTo`), so a year holds one window of days.
 */
import { deterministicEventId } from '../../../contracts/event-id.js';
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
}

export const worldOutcomeId = (o: Pick<WorldOutcome, 'runId' | 'model' | 'test'>) => deterministicEventId('failure-world-outcome', o.runId, o.model, o.test);

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
  for (let day = 0; day < config.days; day++) {
    const world = simulateDay(config, truth, day);
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
  const passing = passingByWindow(config, truth, patterns);
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
  return { truth, lessons, patterns, covered, proposals, summary, failingLogs, outcomes };
}

/** Passing outcomes that keep a log, per training window start, read again from their days. */
function passingByWindow(config: FailureWorldConfig, truth: FailureWorldTruth, patterns: readonly DetectedPattern[]) {
  const out = new Map<string, { id: string; family: string; text: string }[]>();
  const first = Date.parse(`${config.startDate}T00:00:00Z`);
  for (const pattern of patterns) {
    if (out.has(pattern.training.from)) continue;
    const list: { id: string; family: string; text: string }[] = [];
    const from = Math.max(0, Math.floor((Date.parse(pattern.training.from) - first) / 86_400_000));
    const to = Math.min(config.days, Math.ceil((Date.parse(pattern.training.to) - first) / 86_400_000));
    for (let day = from; day < to; day++) {
      for (const o of simulateDay(config, truth, day).outcomes) {
        if (o.passed && o.messages !== null) list.push({ id: worldOutcomeId(o), family: testFamily(o.test), text: conversationText(o) });
      }
    }
    out.set(pattern.training.from, list);
  }
  return out;
}
