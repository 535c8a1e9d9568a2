/** Recorded events in memory for the pure bandit/policy specs: ids are uuids, positions increase. */
import { randomUUID } from 'node:crypto';
import type { RecordedEvent } from '../../../contracts/envelope.js';

let position = 0n;

export function recorded(type: string, data: unknown, occurredAt = '2026-01-01T00:00:00Z', eventId: string = randomUUID()): RecordedEvent {
  position += 1n;
  return {
    eventId,
    type,
    schemaVersion: 1,
    data,
    metadata: { occurredAt, source: 'test' },
    streamId: 'test',
    streamRevision: 0n,
    position: { commit: position, prepare: position },
    globalPosition: position,
    recordedAt: new Date(0),
  };
}

export function sampled(sessionId: string, selected: string[], context: { model?: string; category?: string } = {}): RecordedEvent {
  return recorded('LessonArmsSampled', {
    sessionId,
    context,
    candidates: selected.map((lessonId) => ({ lessonId, armKey: lessonId, alpha: 1, beta: 1, theta: 0.5 })),
    selected,
    policy: { ruleSetId: 'lifecycle-default', version: 1 },
    seed: 's',
  });
}

export function rewarded(sessionId: string, reward: number, salience?: Record<string, number>): RecordedEvent {
  return recorded('SessionRewardObserved', { sessionId, reward, ...(salience ? { salience } : {}) });
}
