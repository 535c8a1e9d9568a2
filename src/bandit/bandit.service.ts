/**
 * The bandit's writes and reads: a selection for a session (match, draw, append LessonArmsSampled), its
 * reward (append SessionRewardObserved; given, or defined by eval outcomes) and a lesson's posterior at any
 * instant. Sessions are streams
 * `session-<id>`: the selection opens the stream and the reward must follow it, once.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { NO_HOLDOUT, type LessonArmsSampledData, type SessionRewardObservedData } from '../../contracts/bandit.js';
import { catalogueUpcasting, newEvent, type Upcasting } from '../../contracts/catalogue.js';
import { comparePositions, type Position } from '../../contracts/envelope.js';
import type { BanditRules } from '../../projections/bandit/bandit-rules.js';
import { foldPosteriors, lessonArms, type PosteriorSummary } from '../../projections/bandit/posterior.js';
import type { SqlExecutor } from '../database/sql-client.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { matchLessons, type MatchableLesson } from '../lessons/domain/lesson-matcher.js';
import { BanditView } from './bandit-view.js';
import { PosteriorCache } from './posterior-cache.js';
import { readSelectionInputs, type SelectionInputs } from './selection-inputs.js';
import { lessonBanditHistory, type LessonBanditHistory } from './lesson-bandit-events.js';
import { defineReward, type RewardRequest } from './outcome-rewards/define-reward.js';
import { seededBetaSampler } from './beta-sampler.js';
import { isSelectable } from './selectable-lessons.js';
import { selectArms } from './select-arms.js';

export const SESSION_STREAM_PREFIX = 'session-';
export const sessionStreamId = (sessionId: string) => `${SESSION_STREAM_PREFIX}${sessionId}`;

export interface SelectionRequest {
  text: string;
  tools?: string[];
  model?: string;
  category?: string;
  /** Default: a random uuid (stored in the event either way). */
  seed?: string;
  /** World time of the selection; default now. */
  occurredAt?: string;
  actor?: string;
}

/** A numeric reward, or references to eval outcomes that define it (see define-reward.ts). */
export interface OutcomeRequest extends RewardRequest {
  salience?: Record<string, number>;
  occurredAt?: string;
  actor?: string;
}

export class SessionNotFoundError extends Error {
  constructor(readonly sessionId: string) {
    super(`Session ${sessionId} has no lesson selection`);
    this.name = 'SessionNotFoundError';
  }
}

export class SessionAlreadyRewardedError extends Error {
  constructor(readonly sessionId: string) {
    super(`Session ${sessionId} already has its reward`);
    this.name = 'SessionAlreadyRewardedError';
  }
}

export interface SelectionResult extends LessonArmsSampledData {
  eventId: string;
  globalPosition: string;
}

export class BanditService {
  private readonly logger = new Logger('BanditService');
  /** The posteriors folded from the bandit-sessions read model (selection), null without a read-model database. */
  private readonly posteriorCache: PosteriorCache | null;
  /** The whole-log fold, built only when the read models selection reads are missing. */
  private view: BanditView | undefined;
  /** Why selections fold the log (null: they read the read models), for a debug line when it changes. */
  private foldReason: string | null | undefined;
  private written: Position | undefined;

  constructor(
    private readonly store: EventStore,
    readonly rules: BanditRules,
    /** The read-model database (selection inputs, outcome ids); null: selections fold the log, outcome ids are refused. */
    private readonly sql: SqlExecutor | null = null,
    /** How the bandit-sessions rows are upcast: the store's upcasting (the catalogue's unless a spec says otherwise). */
    private readonly upcasting: Upcasting = catalogueUpcasting,
  ) {
    this.posteriorCache = sql ? new PosteriorCache(sql, rules, upcasting) : null;
  }

  /** The position of this service's latest append: selections wait until they have read it. */
  get lastWrittenPosition(): Position | undefined {
    return this.written;
  }

  private wrote(position: Position): void {
    if (!this.written || comparePositions(position, this.written) > 0) this.written = position;
  }

  async selectLessons(sessionId: string, request: SelectionRequest): Promise<SelectionResult> {
    const match = (lessons: MatchableLesson[]) =>
      matchLessons(lessons, { text: request.text, toolsUsed: request.tools ?? [] }).map((m) => m.lesson.lessonId);
    const inputs = await this.selectionInputs(match);
    const context = { model: request.model, category: request.category };
    const seed = request.seed ?? randomUUID();
    const { candidates, selected } = selectArms(inputs.candidates, context, inputs.posterior, this.rules, seededBetaSampler(seed));
    const data: LessonArmsSampledData = {
      sessionId,
      context: {
        ...(request.model ? { model: request.model } : {}),
        ...(request.category ? { category: request.category } : {}),
        ...(request.tools?.length ? { tools: request.tools } : {}),
        textDigest: createHash('sha256').update(request.text).digest('hex'),
      },
      candidates,
      selected,
      policy: { ruleSetId: this.rules.ruleSetId, version: this.rules.ruleSetVersion },
      seed,
      holdout: { ...NO_HOLDOUT, withheld: [] },
    };
    const event = newEvent('LessonArmsSampled', data, this.metadata(request));
    const result = await this.store.appendToStream(sessionStreamId(sessionId), [event], { expectedRevision: 'any' });
    this.wrote(result.position);
    return { ...data, eventId: event.eventId, globalPosition: result.globalPosition.toString() };
  }

  /**
   * Lessons and posteriors from the read models plus the log's tail (this service's own appends included;
   * posteriors folded once from bandit-sessions and kept); the whole-log fold, kept in memory, when a read model
   * has never been built here.
   */
  private async selectionInputs(match: (lessons: MatchableLesson[]) => string[]): Promise<SelectionInputs> {
    const read =
      this.sql && this.posteriorCache ? await readSelectionInputs(this.sql, this.store, this.posteriorCache, match, this.written) : { fold: 'no read-model database' };
    this.noteSource('fold' in read ? read.fold : null);
    if (!('fold' in read)) return read;
    this.view ??= new BanditView(this.store, this.rules);
    await this.view.catchUp(this.written);
    return { candidates: match([...this.view.lessons.values()].filter(isSelectable)), posterior: this.view.posterior };
  }

  private noteSource(foldReason: string | null): void {
    if (foldReason === this.foldReason) return;
    this.foldReason = foldReason;
    this.logger.debug(
      foldReason === null
        ? 'lesson selection reads the lesson-catalogue and bandit-sessions read models plus the log after their checkpoints'
        : `lesson selection folds the whole log (kept in memory): ${foldReason}`,
    );
  }

  async recordOutcome(sessionId: string, request: OutcomeRequest): Promise<{ eventId: string; globalPosition: string; reward: number }> {
    const stream = await this.store.readStream(sessionStreamId(sessionId));
    if (!stream.some((e) => e.type === 'LessonArmsSampled')) throw new SessionNotFoundError(sessionId);
    const last = stream[stream.length - 1]!;
    if (last.type === 'SessionRewardObserved') throw new SessionAlreadyRewardedError(sessionId);
    const defined = await defineReward(this.sql, this.store, request);
    const data: SessionRewardObservedData = {
      sessionId,
      reward: defined.reward,
      ...(defined.fromOutcomes ? { evalOutcomeIds: defined.fromOutcomes.outcomes.map((o) => o.eventId), fromOutcomes: defined.fromOutcomes } : {}),
      ...(request.salience ? { salience: request.salience } : {}),
    };
    const event = newEvent('SessionRewardObserved', data, this.metadata(request));
    // Expected revision: a concurrent second reward for the same session fails instead of counting twice.
    const result = await this.store.appendToStream(sessionStreamId(sessionId), [event], { expectedRevision: last.streamRevision });
    this.wrote(result.position);
    return { eventId: event.eventId, globalPosition: result.globalPosition.toString(), reward: defined.reward };
  }

  /**
   * A lesson's arms (global first) from the bandit events that had happened by `asOf` (world time): the
   * selections and rewards of the lesson's sessions (bandit-sessions read model plus the log after its
   * checkpoint), not the whole log. Waits for this service's own latest append.
   */
  async posterior(lessonId: string, asOf?: Date): Promise<{ lessonId: string; asOf: string | null; arms: PosteriorSummary[] }> {
    const history = await lessonBanditHistory(this.sql, this.store, lessonId, {
      discounted: this.rules.gamma !== 1,
      ...(asOf ? { asOf } : {}),
      ...(this.written ? { atLeast: this.written } : {}),
      upcasting: this.upcasting,
    });
    return posteriorOf(history, lessonId, this.rules, asOf);
  }

  private metadata(request: { occurredAt?: string; actor?: string }) {
    return { occurredAt: request.occurredAt ?? new Date().toISOString(), source: 'api', ...(request.actor ? { actor: request.actor } : {}) };
  }
}

/** The lesson's arms folded from its history (or from any events in log order, with no clock). */
export function posteriorOf(
  history: Pick<LessonBanditHistory, 'events'> & Partial<Pick<LessonBanditHistory, 'steps' | 'finalStep'>>,
  lessonId: string,
  rules: BanditRules,
  asOf?: Date,
) {
  const state = foldPosteriors(history.events, rules, undefined, history.steps ?? undefined);
  if (history.finalStep !== undefined && history.finalStep !== null) state.step = history.finalStep;
  return { lessonId, asOf: asOf ? asOf.toISOString() : null, arms: lessonArms(state, lessonId, rules) };
}
