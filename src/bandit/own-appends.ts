/**
 * A service's own selections and rewards, folded into its posteriors when their append commits, ahead of the
 * log's read (which can be held back for seconds by any transaction open on the database server). The log
 * orders events by position, and an own event may turn out to follow another one it has not read yet (an
 * older transaction committing later, its own or another process's): so each own event is folded with a way
 * to take it back, and the ones after a late event are taken back, the late one folded, and they again. The
 * posteriors are then always the fold, in log order, of the log read so far plus the own events after it.
 */
import { comparePositions, type Position } from '../../contracts/envelope.js';
import type { BanditRules } from '../../projections/bandit/bandit-rules.js';
import { applyPosteriorEvent, contextArmKeys, globalArmKey, type PosteriorEvent, type PosteriorState } from '../../projections/bandit/posterior.js';

export type PositionedPosteriorEvent = PosteriorEvent & { position: Position };

interface Folded {
  event: PositionedPosteriorEvent;
  takeBack: () => void;
}

/** Folds the event into `state` and returns what puts back the entries it replaced (clock, session, arms). */
export function foldUndoable(state: PosteriorState, event: PosteriorEvent, rules: BanditRules): () => void {
  const step = state.step;
  const sessionId = (event.data as { sessionId: string }).sessionId;
  const hadSession = Object.hasOwn(state.sessions, sessionId);
  const session = state.sessions[sessionId];
  const armKeys =
    event.type === 'SessionRewardObserved' && session ? session.lessonIds.flatMap((id) => [globalArmKey(id), ...contextArmKeys(id, session.context)]) : [];
  // Folds replace arm and session objects, never change them: keeping the old references is enough.
  const arms = armKeys.map((key) => [key, state.arms[key]] as const);
  applyPosteriorEvent(state, event, rules);
  return () => {
    state.step = step;
    if (hadSession) state.sessions[sessionId] = session!;
    else delete state.sessions[sessionId];
    for (const [key, arm] of arms) {
      if (arm) state.arms[key] = arm;
      else delete state.arms[key];
    }
  };
}

/** The own events folded ahead of the log's read, in position order. */
export class OwnAppends {
  private folded: Folded[] = [];

  constructor(private readonly rules: BanditRules) {}

  get size(): number {
    return this.folded.length;
  }

  /** The sessions of the own events folded ahead: kept in memory while they may be taken back. */
  sessionIds(): Set<string> {
    return new Set(this.folded.map((f) => (f.event.data as { sessionId: string }).sessionId));
  }

  has(eventId: string): boolean {
    return this.folded.some((f) => f.event.eventId === eventId);
  }

  /** Folds an own event at its place: the own events after it are taken back and folded again after it. */
  add(state: PosteriorState, event: PositionedPosteriorEvent): void {
    if (this.has(event.eventId)) return;
    let at = this.folded.length;
    while (at > 0 && comparePositions(this.folded[at - 1]!.event.position, event.position) > 0) at--;
    const later = this.takeBackFrom(at);
    this.folded.push({ event, takeBack: foldUndoable(state, event, this.rules) });
    this.refold(state, later);
  }

  /**
   * The log's next page is about to be folded (its posterior events, in order). When it starts with the own
   * events folded first, in that order (or with all of them), those are already in place: they leave the list
   * and their ids are returned, to skip. Otherwise null: take every own event back, fold the page, fold again.
   */
  confirmedBy(posteriorEventIds: readonly string[]): Set<string> | null {
    const m = Math.min(posteriorEventIds.length, this.folded.length);
    for (let i = 0; i < m; i++) if (this.folded[i]!.event.eventId !== posteriorEventIds[i]) return null;
    return new Set(this.folded.splice(0, m).map((f) => f.event.eventId));
  }

  /** Takes back every own event (the state becomes the fold of the log read so far); returns them. */
  takeBackAll(): PositionedPosteriorEvent[] {
    return this.takeBackFrom(0);
  }

  /** Folds again, in order, the own events the log has not given yet. */
  refold(state: PosteriorState, events: readonly PositionedPosteriorEvent[], readIds: ReadonlySet<string> = new Set()): void {
    for (const event of events) {
      if (!readIds.has(event.eventId)) this.folded.push({ event, takeBack: foldUndoable(state, event, this.rules) });
    }
  }

  private takeBackFrom(at: number): PositionedPosteriorEvent[] {
    const later = this.folded.splice(at);
    for (let i = later.length - 1; i >= 0; i--) later[i]!.takeBack();
    return later.map((f) => f.event);
  }
}
