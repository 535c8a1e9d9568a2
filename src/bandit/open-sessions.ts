/**
 * Selections waiting for their reward, bounded in memory. A session that is never rewarded would otherwise stay
 * in the selection state for ever, so memory would grow with sessions instead of lessons and arms. Past
 * `maxOpen` open sessions the oldest are dropped; a reward whose session is not in memory once any was dropped
 * reads the session's stream (`session-<id>`, where the service appends both) for the selection it closes: the
 * latest selection before it that no reward closed, which is what the fold of the whole log holds there.
 */
import type { LessonArmsSampledData } from '../../contracts/bandit.js';
import type { RecordedEvent } from '../../contracts/envelope.js';
import { applyPosteriorEvent, emptyPosteriorState, type OpenSession, type PosteriorState } from '../../projections/bandit/posterior.js';
import { DEFAULT_BANDIT_RULES } from '../../projections/bandit/bandit-rules.js';
import type { EventStore } from '../event-store/event-store.port.js';

export const DEFAULT_MAX_OPEN_SESSIONS = 10_000;
/** Open sessions are counted once per this many selections at most (counting walks them all). */
const CHECK_EVERY = 1_000;

export class OpenSessionBound {
  /** Some session was dropped: a reward whose session is not in memory must look in its stream. */
  dropped = false;
  private selections = 0;

  private readonly every: number;

  constructor(readonly maxOpen = DEFAULT_MAX_OPEN_SESSIONS) {
    this.every = Math.max(1, Math.min(CHECK_EVERY, maxOpen));
  }

  /** Called after folding `selections` selections; drops the oldest open sessions past the bound (never `keep`'s). */
  selected(state: PosteriorState, keep: () => ReadonlySet<string>, selections = 1): void {
    const before = this.selections;
    this.selections += selections;
    if (Math.floor(before / this.every) === Math.floor(this.selections / this.every)) return;
    const open = Object.keys(state.sessions);
    if (open.length <= this.maxOpen) return;
    const kept = keep();
    let excess = open.length - this.maxOpen;
    for (const sessionId of open) {
      if (excess === 0) break;
      if (kept.has(sessionId)) continue;
      delete state.sessions[sessionId];
      this.dropped = true;
      excess--;
    }
  }
}

/** The selection `reward` closes, from the session's stream: null when none is open before it. */
export async function openSelectionBefore(store: EventStore, streamId: string, reward: Pick<RecordedEvent, 'eventId' | 'data'>): Promise<OpenSession | null> {
  const sessionId = (reward.data as { sessionId: string }).sessionId;
  const state = emptyPosteriorState();
  for (const event of await store.readStream(streamId)) {
    if (event.eventId === reward.eventId) break;
    if (event.type !== 'LessonArmsSampled' && event.type !== 'SessionRewardObserved') continue;
    if ((event.data as LessonArmsSampledData).sessionId !== sessionId) continue;
    // Only who is open matters here, not the arms: any rules give the same sessions.
    applyPosteriorEvent(state, event, DEFAULT_BANDIT_RULES);
  }
  return state.sessions[sessionId] ?? null;
}
