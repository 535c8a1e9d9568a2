import type { NewEvent } from '../../contracts/envelope.js';
import { SessionAlreadyRewardedError, sessionDecider, SessionNotFoundError } from '../../src/bandit/session-decider.js';
import { deciderSpec } from '../support/decider-spec.js';

const event = (type: string, n: number): NewEvent => ({
  eventId: `00000000-0000-4000-8000-00000000000${n}`,
  type,
  schemaVersion: 1,
  data: { sessionId: 's1' },
  metadata: { occurredAt: '2026-04-01T00:00:00.000Z', source: 'test' },
});
const selected = event('LessonArmsSampled', 1);
const rewarded = event('SessionRewardObserved', 2);
const session = deciderSpec(sessionDecider);

describe('bandit session: decide (given its stream, when a selection or reward, then the event or a refusal)', () => {
  it('a selection opens the session, and may be made again before the reward', () => {
    session.given([]).when({ kind: 'select', sessionId: 's1', event: selected }).then([selected]);
    session.given([selected]).when({ kind: 'select', sessionId: 's1', event: event('LessonArmsSampled', 3) }).then([event('LessonArmsSampled', 3)]);
  });

  it('a reward needs a selection', () => {
    session.given([]).when({ kind: 'reward', sessionId: 's1', event: rewarded }).thenThrows(SessionNotFoundError, { sessionId: 's1' });
  });

  it('a reward comes once per selection', () => {
    session.given([selected]).when({ kind: 'reward', sessionId: 's1', event: rewarded }).then([rewarded]);
    session.given([selected, rewarded]).when({ kind: 'reward', sessionId: 's1', event: event('SessionRewardObserved', 4) }).thenThrows(SessionAlreadyRewardedError);
    session.given([selected, rewarded, event('LessonArmsSampled', 5)]).when({ kind: 'reward', sessionId: 's1', event: rewarded }).then([rewarded]);
  });
});
