/**
 * What detection reads of the log, in one pass: every outcome (for the windows' denominators), the recorded
 * signatures of failing ones (their primary signature is what clusters), the passing outcomes that name a log
 * (candidates for judging keywords) and the lessons as they stand (their keywords exclude covered patterns).
 */
import type { RecordedEvent } from '../../../contracts/envelope.js';
import type { TestOutcomeRecordedData } from '../../../contracts/eval.js';
import type { FailureSignaturesRecordedData } from '../../../contracts/drafts.js';
import type { PatternDetector } from '../../../projections/drafts/detect-patterns.js';
import { testFamily } from '../../../projections/drafts/normalise.js';
import { primarySignature } from '../../../projections/drafts/pattern-facts.js';
import { SIGNATURE_EXTRACTOR_VERSION } from '../../../projections/drafts/signatures.js';
import { evolveLesson } from '../../lessons/domain/evolve-lesson.js';
import type { LessonState } from '../../lessons/domain/lesson-state.js';
import type { KeywordLesson } from '../domain/covering-lesson.js';

export interface PassingLog {
  id: string;
  family: string;
  logDir: string;
  timeMs: number;
}

export class HistoryFacts {
  outcomes = 0;
  failing = 0;
  signatureEvents = 0;
  readonly passing: PassingLog[] = [];
  readonly readStatus = new Map<string, number>();
  private readonly lessons = new Map<string, LessonState | null>();

  constructor(private readonly detector: PatternDetector) {}

  add(event: RecordedEvent): void {
    if (event.type === 'TestOutcomeRecorded') this.outcome(event);
    else if (event.type === 'FailureSignaturesRecorded') this.signatures(event);
    else if (event.type.startsWith('Lesson') && typeof (event.data as { lessonId?: unknown }).lessonId === 'string') {
      const id = (event.data as { lessonId: string }).lessonId;
      this.lessons.set(id, evolveLesson(this.lessons.get(id) ?? null, event));
    }
  }

  keywordLessons(): KeywordLesson[] {
    return [...this.lessons.values()].flatMap((l) => (l && !l.deleted ? [{ lessonId: l.lessonId, status: l.status, keywords: l.match.keywords }] : []));
  }

  private outcome(event: RecordedEvent): void {
    const d = event.data as TestOutcomeRecordedData;
    const timeMs = Date.parse(event.metadata.occurredAt);
    this.outcomes += 1;
    if (!d.passed && !d.suspectedInfraError) this.failing += 1;
    this.detector.addOutcome({
      eventId: event.eventId,
      globalPosition: event.globalPosition.toString(),
      runId: d.runId,
      test: d.test,
      model: d.model,
      occurredAt: event.metadata.occurredAt,
      timeMs,
      passed: d.passed,
      suspectedInfraError: d.suspectedInfraError,
    });
    if (d.passed && d.logDir) this.passing.push({ id: event.eventId, family: testFamily(d.test), logDir: d.logDir, timeMs });
  }

  private signatures(event: RecordedEvent): void {
    const d = event.data as FailureSignaturesRecordedData;
    if (d.extractor !== SIGNATURE_EXTRACTOR_VERSION) return;
    this.signatureEvents += 1;
    this.readStatus.set(d.read, (this.readStatus.get(d.read) ?? 0) + 1);
    const primary = primarySignature(d.signatures);
    if (primary === null) return;
    this.detector.addFailure({
      outcome: {
        eventId: d.outcome.eventId,
        globalPosition: d.outcome.globalPosition,
        runId: d.outcome.runId,
        test: d.outcome.test,
        model: d.outcome.model,
        occurredAt: d.occurredAt,
        timeMs: Date.parse(d.occurredAt),
        passed: d.outcome.passed,
        suspectedInfraError: d.outcome.suspectedInfraError,
      },
      family: testFamily(d.outcome.test),
      signature: primary,
      signatureEventId: event.eventId,
      signatureGlobalPosition: event.globalPosition.toString(),
    });
  }
}
