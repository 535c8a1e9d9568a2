/**
 * Lesson drafts from recurring failures. What was read from a failing outcome's gptme log is kept as
 * signatures (never the log), one event per outcome and extractor version; a draft names the recurring pattern,
 * the evidence it came from (outcome and signature event ids with their global positions) and the lesson text
 * in gptme's format. A draft's review (accept, reject) is recorded in the draft's own stream.
 */
import { z } from 'zod';
import { defineEvent } from './event-definition.js';
import { deterministicEventId } from './event-id.js';
import { outcomeSnapshotSchema } from './evidence.js';
import { decimalString, eventIdSchema, isoInstant, nonNegativeInt, unitInterval } from './primitives.js';
import { bodyText, freeText, identifier, nameString, pathOrEmpty, pathString, testName, titleString, textString } from './limits.js';

/** What a signature says went wrong: an exception, a failed patch or command, a timeout, a step or token blow-up. */
export const SIGNATURE_KINDS = ['exception', 'patch', 'command', 'timeout', 'steps', 'tokens'] as const;
export const signatureKindSchema = z.enum(SIGNATURE_KINDS);
export type SignatureKind = z.infer<typeof signatureKindSchema>;

/** How the log read: `ok`, or the shared reader's error kind (the outcome is recorded either way, never fatal). */
export const LOG_READ_STATUSES = ['ok', 'no-log-root', 'outside-root', 'missing', 'unreadable', 'malformed', 'no-log-dir'] as const;
export const logReadStatusSchema = z.enum(LOG_READ_STATUSES);
export type LogReadStatus = z.infer<typeof logReadStatusSchema>;

/** Longest excerpt of log text a signature keeps (UTF-8 bytes): a line, never the log. */
export const SIGNATURE_EXCERPT_BYTES = 512;
export const MAX_SIGNATURES_PER_OUTCOME = 16;

export const failureSignatureSchema = z.strictObject({
  kind: signatureKindSchema,
  /** Normalised: paths, numbers, ids and hex replaced by `<path>`, `<n>`, `<id>`, `<hex>`; what clusters. */
  key: textString(SIGNATURE_EXCERPT_BYTES),
  /** The line as the log wrote it (cut to SIGNATURE_EXCERPT_BYTES). */
  excerpt: textString(SIGNATURE_EXCERPT_BYTES),
  /** 0-based index of the message it was read from. */
  message: nonNegativeInt,
});
export type FailureSignature = z.infer<typeof failureSignatureSchema>;

export const FailureSignaturesRecordedSchema = z.strictObject({
  outcome: outcomeSnapshotSchema,
  /** The outcome's event time (when the eval ran). */
  occurredAt: isoInstant,
  logDir: pathOrEmpty,
  read: logReadStatusSchema,
  /** Why the log could not be used (the reader's sentence), with the line of a malformed one. */
  readError: freeText.optional(),
  line: nonNegativeInt.optional(),
  /** Version of the extraction rules: a new version reads the log again under a new event id. */
  extractor: nonNegativeInt,
  signatures: z.array(failureSignatureSchema).max(MAX_SIGNATURES_PER_OUTCOME),
  /** Assistant messages in the conversation. */
  steps: nonNegativeInt.optional(),
});
export type FailureSignaturesRecordedData = z.infer<typeof FailureSignaturesRecordedSchema>;
export const FAILURE_SIGNATURES_RECORDED_VERSION = 1;
export const FailureSignaturesRecorded = defineEvent('FailureSignaturesRecorded', FAILURE_SIGNATURES_RECORDED_VERSION, FailureSignaturesRecordedSchema);

export const signaturesStreamId = (outcomeEventId: string) => `failure-signatures-${outcomeEventId}`;
export const signaturesEventId = (outcomeEventId: string, extractor: number) =>
  deterministicEventId('FailureSignaturesRecorded', outcomeEventId, extractor);

/** One outcome behind a draft: the outcome event and the signature event that put it in the pattern. */
export const draftEvidenceSchema = z.strictObject({
  outcomeEventId: eventIdSchema,
  outcomeGlobalPosition: decimalString,
  signatureEventId: eventIdSchema,
  signatureGlobalPosition: decimalString,
  runId: identifier,
  test: testName,
  model: nameString,
  occurredAt: isoInstant,
});
export type DraftEvidence = z.infer<typeof draftEvidenceSchema>;
export const MAX_DRAFT_EVIDENCE = 200;

export const draftPatternSchema = z.strictObject({
  /** `<kind>|<signature key>|<test family>`: what the draft's id is derived from. */
  key: textString(1024),
  kind: signatureKindSchema,
  signature: textString(SIGNATURE_EXCERPT_BYTES),
  testFamily: testName,
  tests: z.array(testName).max(100),
  models: z.array(nameString).max(100),
  exemplar: textString(SIGNATURE_EXCERPT_BYTES),
  firstSeen: isoInstant,
  lastSeen: isoInstant,
});

export const draftStatisticsSchema = z.strictObject({
  failures: nonNegativeInt,
  runs: nonNegativeInt,
  models: nonNegativeInt,
  /** Outcomes of the family in the window, and the signature's share of outcomes elsewhere (background). */
  familyOutcomes: nonNegativeInt,
  backgroundRate: unitInterval,
  pValue: unitInterval,
  qValue: unitInterval,
});

export const draftKeywordsSchema = z.strictObject({
  keywords: z.array(nameString).min(1).max(8),
  /** The days the keywords were chosen on (inclusive from, exclusive to); they are judged on the days after. */
  chosenFrom: isoInstant,
  chosenTo: isoInstant,
  failingMatched: unitInterval,
  passingMatched: unitInterval,
  passingLogs: nonNegativeInt,
});

export const draftLessonSchema = z.strictObject({
  /** Where `drafts export` writes it, relative to the lessons folder. */
  path: pathString,
  title: titleString,
  category: nameString,
  /** The whole lesson file: frontmatter (`match.keywords`, `status: draft`) and body. */
  file: bodyText,
  body: bodyText,
});

export const LessonDraftProposedSchema = z.strictObject({
  draftId: eventIdSchema,
  pattern: draftPatternSchema,
  statistics: draftStatisticsSchema,
  evidence: z.array(draftEvidenceSchema).min(1).max(MAX_DRAFT_EVIDENCE),
  match: draftKeywordsSchema,
  lesson: draftLessonSchema,
  /** `template`, or `openai:<model>`. */
  drafter: nameString,
  ruleSetId: identifier,
  ruleSetVersion: nonNegativeInt,
});
export type LessonDraftProposedData = z.infer<typeof LessonDraftProposedSchema>;
export const LessonDraftProposed = defineEvent('LessonDraftProposed', 1, LessonDraftProposedSchema);

export const LessonDraftAcceptedSchema = z.strictObject({
  draftId: eventIdSchema,
  lessonId: identifier,
  actor: identifier,
});
export type LessonDraftAcceptedData = z.infer<typeof LessonDraftAcceptedSchema>;
export const LessonDraftAccepted = defineEvent('LessonDraftAccepted', 1, LessonDraftAcceptedSchema);

export const LessonDraftRejectedSchema = z.strictObject({
  draftId: eventIdSchema,
  actor: identifier,
  reason: freeText,
});
export type LessonDraftRejectedData = z.infer<typeof LessonDraftRejectedSchema>;
export const LessonDraftRejected = defineEvent('LessonDraftRejected', 1, LessonDraftRejectedSchema);

/** One stream per draft: the proposal, then at most one review. */
export const draftStreamId = (draftId: string) => `lesson-draft-${draftId}`;
/**
 * The same pattern is the same draft, whichever rule set found it and however much evidence has grown since:
 * detecting again appends nothing. The draft's id is also its LessonDraftProposed event id.
 */
export const draftIdOf = (patternKey: string) => deterministicEventId('LessonDraftProposed', patternKey);

export const draftEventDefinitions = [FailureSignaturesRecorded, LessonDraftProposed, LessonDraftAccepted, LessonDraftRejected] as const;
