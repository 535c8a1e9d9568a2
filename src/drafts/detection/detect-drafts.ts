/**
 * Lesson-draft detection against the store. First every real failure that names a log and has no signatures
 * of the current extractor gets them (a FailureSignaturesRecorded per outcome, read through the one log reader;
 * a log that cannot be read is recorded with the reader's reason, never fatal). Then one pass over the log feeds
 * the pattern detector; each pattern no active lesson covers gets keywords judged against sampled passing logs of
 * its training days, prose from the drafter and a LessonDraftProposed in its own stream. Every id is derived
 * (outcome and extractor, pattern key), and each append goes through handleCommand, so detecting again appends
 * nothing and a detector killed half-way appends, when run again, only what it had not. `dryRun` appends nothing
 * (a rule set's side-by-side listing).
 */
import type { RecordedEvent } from '../../../contracts/envelope.js';
import type { TestOutcomeRecordedData } from '../../../contracts/eval.js';
import { draftIdOf, draftStreamId, signaturesStreamId, type FailureSignaturesRecordedData, type LessonDraftProposedData } from '../../../contracts/drafts.js';
import { PatternDetector, type DetectionSummary } from '../../../projections/drafts/detect-patterns.js';
import type { DraftRules } from '../../../projections/drafts/draft-rules.js';
import { SIGNATURE_EXTRACTOR_VERSION } from '../../../projections/drafts/signatures.js';
import { handleCommand } from '../../common/commands/handle-command.js';
import type { EventStore } from '../../event-store/event-store.port.js';
import { openLogRoot, readConversation, type LogRoot } from '../../gptme-logs/index.js';
import { chooseKeywords } from '../domain/choose-keywords.js';
import { coveringLesson } from '../domain/covering-lesson.js';
import { draftProposal } from '../domain/draft-proposal.js';
import { selectPassingSample } from '../domain/passing-sample.js';
import type { LessonDrafter } from '../drafter/lesson-drafter.port.js';
import { draftDecider } from '../review/draft-decider.js';
import { HistoryFacts } from './history-facts.js';
import { readOutcomeSignatures, wantsSignatures } from './outcome-signatures.js';
import { scanLog } from './scan-log.js';
import { signaturesDecider } from './signatures-decider.js';

export interface DetectDraftsOptions {
  /** LESSONLOOP_LOG_ROOT: unset, no log is read (signatures already recorded are still used). */
  logRoot: string | undefined;
  rules: DraftRules;
  ruleSet: { id: string; version: number };
  drafter: LessonDrafter;
  dryRun?: boolean;
  /** Called after each draft's append (a spec kills the detector here). */
  afterDraft?: (draftId: string) => void | Promise<void>;
}

export interface DetectDraftsResult {
  outcomes: number;
  failing: number;
  /** Log reads of this run, by the reader's status (`ok`, `missing`, `unreadable`, `outside-root`, `malformed`). */
  read: Record<string, number>;
  /** The first reasons of logs that could not be read (path: kind: reason). */
  readErrors: string[];
  /** Why no log was read, when LESSONLOOP_LOG_ROOT is unset or unusable. */
  logRootProblem: string | null;
  patterns: number;
  covered: { pattern: string; lessonId: string }[];
  withoutKeywords: string[];
  drafts: LessonDraftProposedData[];
  appended: number;
  summary: DetectionSummary;
}

const MAX_READ_ERRORS = 20;

async function recordMissingSignatures(store: EventStore, root: LogRoot, result: DetectDraftsResult): Promise<void> {
  const done = new Set<string>();
  const wanted: RecordedEvent[] = [];
  for await (const event of scanLog(store)) {
    if (event.type === 'FailureSignaturesRecorded') {
      const d = event.data as FailureSignaturesRecordedData;
      if (d.extractor === SIGNATURE_EXTRACTOR_VERSION) done.add(d.outcome.eventId);
    } else if (event.type === 'TestOutcomeRecorded' && wantsSignatures(event.data as TestOutcomeRecordedData)) wanted.push(event);
  }
  for (const event of wanted) {
    if (done.has(event.eventId)) continue;
    const data = await readOutcomeSignatures(root, event);
    result.read[data.read] = (result.read[data.read] ?? 0) + 1;
    if (data.readError && result.readErrors.length < MAX_READ_ERRORS) result.readErrors.push(data.readError);
    await handleCommand(store, signaturesStreamId(event.eventId), { data }, signaturesDecider, {
      metadata: { occurredAt: event.metadata.occurredAt, source: 'lesson-drafts' },
    });
  }
}

async function passingTexts(root: LogRoot | null, logs: HistoryFacts['passing'], family: string, from: string, to: string, size: number): Promise<string[]> {
  if (root === null) return [];
  const start = Date.parse(from);
  const end = Date.parse(to);
  const sample = selectPassingSample(logs.filter((l) => l.timeMs >= start && l.timeMs < end), family, size);
  const texts: string[] = [];
  for (const log of sample) {
    const read = await readConversation(root, log.logDir);
    if (read.ok) texts.push(read.messages.map((m) => m.content).join('\n'));
  }
  return texts;
}

export async function detectDrafts(store: EventStore, options: DetectDraftsOptions): Promise<DetectDraftsResult> {
  const opened = await openLogRoot(options.logRoot);
  const root = opened.ok ? opened.root : null;
  const result: DetectDraftsResult = {
    outcomes: 0,
    failing: 0,
    read: {},
    readErrors: [],
    logRootProblem: opened.ok ? null : opened.error.reason,
    patterns: 0,
    covered: [],
    withoutKeywords: [],
    drafts: [],
    appended: 0,
    summary: { windows: 0, excluded: { infra: 0, flaky: 0, notEnriched: 0 } },
  };
  if (root !== null && !options.dryRun) await recordMissingSignatures(store, root, result);
  const detector = new PatternDetector(options.rules);
  const facts = new HistoryFacts(detector);
  for await (const event of scanLog(store)) facts.add(event);
  const { patterns, summary } = detector.finish();
  Object.assign(result, { outcomes: facts.outcomes, failing: facts.failing, patterns: patterns.length, summary });
  const lessons = facts.keywordLessons();
  for (const pattern of patterns) {
    const lessonId = coveringLesson(pattern, lessons);
    if (lessonId !== null) {
      result.covered.push({ pattern: pattern.key, lessonId });
      continue;
    }
    const existing = await store.readStream(draftStreamId(draftIdOf(pattern.key)));
    const proposed = existing.find((e) => e.type === 'LessonDraftProposed');
    if (proposed) {
      result.drafts.push(proposed.data as LessonDraftProposedData);
      continue;
    }
    const texts = await passingTexts(root, facts.passing, pattern.family, pattern.training.from, pattern.training.to, options.rules.draftPassingSample);
    const keywords = chooseKeywords(pattern, texts, options.rules);
    if (keywords.keywords.length === 0) {
      result.withoutKeywords.push(pattern.key);
      continue;
    }
    const prose = await options.drafter.draft({ pattern, keywords });
    const proposal = draftProposal(pattern, keywords, prose, options.drafter.name, options.ruleSet);
    result.drafts.push(proposal);
    if (options.dryRun) continue;
    const { appended } = await handleCommand(store, draftStreamId(proposal.draftId), { kind: 'propose', proposal }, draftDecider, {
      metadata: { occurredAt: pattern.lastSeen, source: 'lesson-drafts' },
    });
    result.appended += appended;
    await options.afterDraft?.(proposal.draftId);
  }
  return result;
}
