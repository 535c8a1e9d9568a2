/**
 * What selections draw from, kept in memory by each service and advanced incrementally: every lesson's
 * current state (bounded by the number of lessons) and the posteriors of the whole log (arms, the discount
 * clock, selections waiting for their reward). It starts once from the read models (the lesson-catalogue's
 * lessons loaded from their streams, the bandit-sessions rows folded up to that read model's checkpoint), or
 * from the start of the log where either has never been built, and is then advanced by the log after the last
 * event it folded: a selection reads only what was appended since the previous one. The service's own appends
 * are folded when they commit (own-appends.ts), never waited for: the log's read can be held back by any
 * transaction open on the server. So a selection costs its new events, the match and the draw, whatever the
 * history; and the posteriors are the fold of every bandit event in log order (the same function, in the same
 * order), bit for bit.
 */
import { catalogueUpcasting, type Upcasting } from '../../contracts/catalogue.js';
import { comparePositions, type Position, type RecordedEvent } from '../../contracts/envelope.js';
import { banditSessions } from '../../projections/bandit/bandit-sessions.js';
import type { BanditRules } from '../../projections/bandit/bandit-rules.js';
import { LESSON_CATALOGUE_TABLE, lessonCatalogue } from '../../projections/lessons/lesson-catalogue.js';
import { applyPosteriorEvent, emptyPosteriorState, POSTERIOR_EVENT_TYPES, type OpenSession, type PosteriorState } from '../../projections/bandit/posterior.js';
import type { SqlExecutor } from '../database/sql-client.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { evolveLesson } from '../lessons/domain/evolve-lesson.js';
import type { LessonState } from '../lessons/domain/lesson-state.js';
import { isLessonEventType } from '../lessons/domain/lesson-stream.js';
import { loadLesson } from '../lessons/store/lesson-events.js';
import { OpenSessionBound, openSelectionBefore } from './open-sessions.js';
import { OwnAppends, type PositionedPosteriorEvent } from './own-appends.js';
import { PosteriorCache } from './posterior-cache.js';
import { readModelStand } from './read-model-checkpoint.js';

const PAGE = 5000;
const isPosteriorEvent = (type: string) => (POSTERIOR_EVENT_TYPES as readonly string[]).includes(type);

export class SelectionState {
  /** Every lesson seen, deleted ones included (their revision keeps older events of their stream out). */
  readonly lessons = new Map<string, LessonState>();
  posterior: PosteriorState = emptyPosteriorState();
  /** null: started from the read models; else why it folds the log from its start. */
  foldReason: string | null = null;
  private after: Position | undefined;
  /** Bandit events at or before this position are in the posterior already (the read model's rows). */
  private posteriorFrom: Position | undefined;
  private starting: Promise<void> | undefined;
  /** The service's own appends folded ahead of the log's read. */
  private readonly own: OwnAppends;
  private readonly bound: OpenSessionBound;
  /** Rewards of this page whose session had been dropped from memory: the selection each closes. */
  private reopen = new Map<string, OpenSession | null>();
  private catching: Promise<void> | undefined;

  constructor(
    private readonly store: EventStore,
    readonly rules: BanditRules,
    /** The read-model database; null: start from the log. */
    private readonly sql: SqlExecutor | null,
    private readonly upcasting: Upcasting = catalogueUpcasting,
    maxOpenSessions?: number,
  ) {
    this.own = new OwnAppends(rules);
    this.bound = new OpenSessionBound(maxOpenSessions);
  }

  /** Advances over everything appended since the last call (one read at a time). */
  async catchUp(): Promise<this> {
    await this.started();
    this.catching ??= this.readNew().finally(() => (this.catching = undefined));
    await this.catching;
    return this;
  }

  /**
   * Folds the service's own just-committed selection or reward, at its place in the log order, without
   * waiting for the log's read to reach it: the next selection sees it. The read confirms it later.
   */
  async applyOwn(event: PositionedPosteriorEvent & { streamId: string }): Promise<void> {
    await this.started();
    const sessionId = (event.data as { sessionId: string }).sessionId;
    const reopen = event.type === 'SessionRewardObserved' && this.bound.dropped && !this.posterior.sessions[sessionId];
    const open = reopen ? await openSelectionBefore(this.store, event.streamId, event) : null;
    if (this.after && comparePositions(event.position, this.after) <= 0) return;
    if (this.posteriorFrom && comparePositions(event.position, this.posteriorFrom) <= 0) return;
    if (open && !this.own.has(event.eventId) && !this.posterior.sessions[sessionId]) this.posterior.sessions[sessionId] = open;
    this.own.add(this.posterior, event);
  }

  private async started(): Promise<void> {
    this.starting ??= this.start().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    await this.starting;
  }

  private async start(): Promise<void> {
    if (!this.sql) return void (this.foldReason = 'no read-model database');
    const lessonsStand = await readModelStand(this.sql, lessonCatalogue.name);
    const banditStand = await readModelStand(this.sql, banditSessions.name);
    for (const [name, stand] of [[lessonCatalogue.name, lessonsStand], [banditSessions.name, banditStand]] as const) {
      if (!stand?.checkpoint) return void (this.foldReason = `the ${name} read model has not been built in this database`);
    }
    this.posterior = await new PosteriorCache(this.sql, this.rules, this.upcasting).posteriors(banditStand!, []);
    this.posteriorFrom = banditStand!.checkpoint!;
    // Each lesson as its stream holds it now (rows can be ahead of their checkpoint): older tail events are skipped.
    const { rows } = await this.sql.query<{ lesson_id: string }>(`SELECT doc_key AS lesson_id FROM ${LESSON_CATALOGUE_TABLE} WHERE instance_id = $1`, [lessonsStand!.instanceId]);
    for (const row of rows) {
      const { state } = await loadLesson(this.store, row.lesson_id);
      if (state) this.lessons.set(row.lesson_id, state);
    }
    const [a, b] = [lessonsStand!.checkpoint!, banditStand!.checkpoint!];
    this.after = comparePositions(a, b) <= 0 ? a : b;
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const page = await this.store.readAll({ ...(this.after ? { after: this.after } : {}), maxCount: PAGE });
      if (this.bound.dropped) await this.findDropped(page);
      this.applyPage(page);
      this.reopen.clear();
      // Only here, where reads are one at a time: never between finding a page's dropped sessions and folding it.
      this.bound.selected(this.posterior, () => this.own.sessionIds(), page.filter((e) => e.type === 'LessonArmsSampled').length);
      if (page.length > 0) this.after = page[page.length - 1]!.position;
      if (page.length < PAGE) return;
    }
  }

  /** The rewards of the page whose session is not in memory (nor selected earlier in the page): what each closes. */
  private async findDropped(page: readonly RecordedEvent[]): Promise<void> {
    const selectedHere = new Set<string>();
    for (const event of page) {
      const sessionId = (event.data as { sessionId?: string } | null)?.sessionId;
      if (event.type === 'LessonArmsSampled') selectedHere.add(sessionId!);
      if (event.type !== 'SessionRewardObserved' || selectedHere.has(sessionId!) || this.posterior.sessions[sessionId!]) continue;
      this.reopen.set(event.eventId, await openSelectionBefore(this.store, event.streamId, event));
    }
  }

  /** A page of the log, in order; own events folded ahead of it are redone only when the page does not start with them. */
  private applyPage(page: readonly RecordedEvent[]): void {
    const posteriorEvents = page.filter((e) => isPosteriorEvent(e.type) && (!this.posteriorFrom || comparePositions(e.position, this.posteriorFrom) > 0));
    const confirmed = this.own.confirmedBy(posteriorEvents.map((e) => e.eventId));
    if (confirmed) {
      for (const event of page) if (!confirmed.has(event.eventId)) this.apply(event);
      return;
    }
    const own = this.own.takeBackAll();
    for (const event of page) this.apply(event);
    this.own.refold(this.posterior, own, new Set(posteriorEvents.map((e) => e.eventId)));
  }

  private apply(event: RecordedEvent): void {
    if (isPosteriorEvent(event.type)) {
      if (this.posteriorFrom && comparePositions(event.position, this.posteriorFrom) <= 0) return;
      const sessionId = (event.data as { sessionId: string }).sessionId;
      const open = this.reopen.get(event.eventId);
      if (open && !this.posterior.sessions[sessionId]) this.posterior.sessions[sessionId] = open;
      applyPosteriorEvent(this.posterior, event, this.rules);
    } else if (isLessonEventType(event.type)) {
      const lessonId = (event.data as { lessonId: string }).lessonId;
      const known = this.lessons.get(lessonId) ?? null;
      if (known && BigInt(known.revision) >= event.streamRevision) return;
      // A lesson created again after its deletion starts from nothing, as a fold of its stream would.
      const recreated = known?.deleted && (event.type === 'LessonCreated' || event.type === 'LessonMutated');
      const next = evolveLesson(recreated ? null : known, { type: event.type, data: event.data, metadata: event.metadata, streamRevision: event.streamRevision });
      if (next) this.lessons.set(lessonId, next);
      else this.lessons.delete(lessonId);
    }
  }
}
