/**
 * A session stream (`session-<id>`) as a decider: a selection may open it or be made again before the
 * reward (the reward closes the latest one); the reward needs a selection and comes once. The events are
 * built by the service (the draw and the reward definition happen before): decide only says whether they may
 * be appended. The state is two flags, whatever the session holds.
 */
import type { NewEvent } from '../../contracts/envelope.js';
import type { Decider } from '../common/commands/decider.js';

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

export interface SessionState {
  selected: boolean;
  /** The last event is a reward: a new selection must come before another reward. */
  rewarded: boolean;
}

export type SessionCommand = { kind: 'select'; sessionId: string; event: NewEvent } | { kind: 'reward'; sessionId: string; event: NewEvent };

export const sessionDecider: Decider<SessionCommand, SessionState, NewEvent> = {
  initialState: () => ({ selected: false, rewarded: false }),
  evolve(state, event) {
    if (event.type === 'LessonArmsSampled') return { selected: true, rewarded: false };
    if (event.type === 'SessionRewardObserved') return { ...state, rewarded: true };
    return state;
  },
  decide(command, state) {
    if (command.kind === 'reward') {
      if (!state.selected) throw new SessionNotFoundError(command.sessionId);
      if (state.rewarded) throw new SessionAlreadyRewardedError(command.sessionId);
    }
    return [command.event];
  },
};
