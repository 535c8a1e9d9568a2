/**
 * The bandit's writes and reads: a selection for a session (match, draw, append LessonArmsSampled), its
 * reward (append SessionRewardObserved; given, or defined by eval outcomes) and a lesson's posterior at any
 * instant. Sessions are streams
 * `session-<id>`: the selection opens the stream and the reward must follow it, once.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { type LessonArmsSampledData, type RewardOutcome, type SessionRewardObservedData } from '../../contracts/bandit.js';
import { catalogueUpcasting, newEvent, type Upcasting } from '../../contracts/catalogue.js';
import { comparePositions, type Position } from '../../contracts/envelope.js';
import type { BanditRules } from '../../projections/bandit/bandit-rules.js';
import { foldPosteriors, lessonArms, type PosteriorSummary } from '../../projections/bandit/posterior.js';
import type { SqlExecutor } from '../database/sql-client.js';
import { handleCommand } from '../common/commands/handle-command.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { matchLessons } from '../lessons/domain/lesson-matcher.js';
import { SelectionState } from './selection-state.js';
import { sessionDecider, type SessionCommand } from './session-decider.js';

export { SessionAlreadyRewardedError, SessionNotFoundError } from './session-decider.js';
import { lessonBanditHistory, type LessonBanditHistory } from './lesson-bandit-events.js';
import { defineReward, type RewardRequest } from './outcome-rewards/define-reward.js';
import { seededBetaSampler } from './beta-sampler.js';
import { isSelectable } from './selectable-lessons.js';
import { candidatePosteriors, drawSelection } from './select-arms.js';
import { applyHoldout } from './holdout/apply-holdout.js';
import { recordSessionExposure, sessionExposureEvents } from '../effects/session-exposure.js';

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

export interface SelectionResult extends LessonArmsSampledData {
  eventId: string;
  globalPosition: string;
}

export class BanditService {
  private readonly logger = new Logger('BanditService');
  /** The lessons and posteriors selections draw from, kept in memory and advanced by the log's new events. */
  private readonly selectionState: SelectionState;
  /** Why selections folded the log from its start (null: they started from the read models), for a debug line. */
  private foldReason: string | null | undefined;
  private written: Position | undefined;

  constructor(
    private readonly store: EventStore,
    readonly rules: BanditRules,
    /** The read-model database (selection inputs, outcome ids); null: selections fold the log, outcome ids are refused. */
    private readonly sql: SqlExecutor | null = null,
    /** How the bandit-sessions rows are upcast: the store's upcasting (the catalogue's unless a spec says otherwise). */
    private readonly upcasting: Upcasting = catalogueUpcasting,
    /** Selections awaiting their reward kept in memory (the oldest beyond are read from their stream when rewarded). */
    maxOpenSessions?: number,
  ) {
    this.selectionState = new SelectionState(store, rules, sql, upcasting, maxOpenSessions);
  }

  /** The position of this service's latest append: a posterior read waits until it can read it. */
  get lastWrittenPosition(): Position | undefined {
    return this.written;
  }

  private wrote(position: Position): void {
    if (!this.written || comparePositions(position, this.written) > 0) this.written = position;
  }

  async selectLessons(sessionId: string, request: SelectionRequest): Promise<SelectionResult> {
    const state = await this.selectionState.catchUp();
    this.noteSource(state.foldReason);
    const lessons = [...state.lessons.values()].filter(isSelectable);
    const matched = matchLessons(lessons, { text: request.text, toolsUsed: request.tools ?? [] }).map((m) => m.lesson.lessonId);
    const context = { model: request.model, category: request.category };
    const seed = request.seed ?? randomUUID();
    const drawn = drawSelection(candidatePosteriors(matched, context, state.posterior, this.rules), seededBetaSampler(seed), this.rules);
    const { candidates, selected, holdout, inclusion } = applyHoldout(drawn, this.rules);
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
      holdout,
      ...(inclusion ? { inclusion } : {}),
    };
    const event = newEvent('LessonArmsSampled', data, this.metadata(request));
    const position = await this.append({ kind: 'select', sessionId, event });
    return { ...data, eventId: event.eventId, globalPosition: position.toString() };
  }

  /**
   * The bandit's one write: one event to its session stream through handleCommand (the stream is the
   * session's one or two events), folded into the selection state as soon as it commits so the next
   * selection draws from it. A concurrent second reward loses the race and is refused instead of counting twice.
   */
  private async append(command: SessionCommand): Promise<bigint> {
    const result = await handleCommand(this.store, sessionStreamId(command.sessionId), command, sessionDecider);
    this.wrote(result.position!);
    const { eventId, type, data } = command.event;
    await this.selectionState.applyOwn({ eventId, type, data, streamId: sessionStreamId(command.sessionId), globalPosition: result.globalPosition!, position: result.position! });
    return result.globalPosition!;
  }

  private noteSource(foldReason: string | null): void {
    if (foldReason === this.foldReason) return;
    this.foldReason = foldReason;
    this.logger.debug(
      foldReason === null
        ? 'lesson selection started from the lesson-catalogue and bandit-sessions read models and follows the log'
        : `lesson selection folds the log from its start (then follows it): ${foldReason}`,
    );
  }

  async recordOutcome(sessionId: string, request: OutcomeRequest): Promise<{ eventId: string; globalPosition: string; reward: number }> {
    const defined = await defineReward(this.sql, this.store, request);
    const data: SessionRewardObservedData = {
      sessionId,
      reward: defined.reward,
      ...(defined.fromOutcomes ? { evalOutcomeIds: defined.fromOutcomes.outcomes.map((o) => o.eventId), fromOutcomes: defined.fromOutcomes } : {}),
      ...(request.salience ? { salience: request.salience } : {}),
    };
    const event = newEvent('SessionRewardObserved', data, this.metadata(request));
    const position = await this.append({ kind: 'reward', sessionId, event });
    if (defined.fromOutcomes) await this.recordExposure(sessionId, defined.fromOutcomes.outcomes, event.metadata.occurredAt);
    return { eventId: event.eventId, globalPosition: position.toString(), reward: defined.reward };
  }

  /** The referenced outcomes' exposure: what the session's latest selection injected and withheld (src/effects). */
  private async recordExposure(sessionId: string, outcomes: RewardOutcome[], occurredAt: string): Promise<void> {
    const sampled = (await this.store.readStream(sessionStreamId(sessionId))).filter((e) => e.type === 'LessonArmsSampled').at(-1);
    if (sampled) await recordSessionExposure(this.store, sessionExposureEvents(sampled.data as LessonArmsSampledData, outcomes, occurredAt));
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
