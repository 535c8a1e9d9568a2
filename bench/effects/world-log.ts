/**
 * The planted sessions world as a log to append: pure generator functions, in memory, one world of `chunk`
 * sessions per seed until `sessions` are reached, each session's bandit, outcome and exposure events grouped
 * into stream appends for the store's bulk path. Shared by bench:effects rebuild and serve. The exposures are
 * appended as the writer decides them (exposure-decider.ts): at the current version, with `namedEarlier`.
 */
import { LESSON_EXPOSURE_RECORDED_VERSION, type LessonExposureRecordedData } from '../../contracts/exposure.js';
import { namedAfter } from '../../src/effects/exposure-decider.js';
import type { StreamAppend } from '../../src/event-store/event-store.port.js';
import { simulateSessionsWorld } from '../gen-history/sessions-world/simulate-sessions.js';
import type { LoggedEvent } from '../gen-history/sessions-world/session-log.js';
import { DEFAULT_SESSIONS_WORLD, type SessionsWorldConfig } from '../gen-history/sessions-world/world-config.js';

export interface WorldLogShape {
  sessions: number;
  /** Sessions per seed (one simulated world each). */
  chunk: number;
  lessons: number;
  holdoutRate: number;
  /** Monte Carlo draws per selection for the inclusion probabilities (the propensities IPW reads). */
  inclusionDraws: number;
  /** Only the exposures (what the effect read models fold), without the bandit and outcome events. */
  exposuresOnly?: boolean;
}

/** Consecutive events of one stream go into one append; a stream's events keep their order. */
export function groupedAppends(events: readonly LoggedEvent[]): StreamAppend[] {
  const byStream = new Map<string, StreamAppend>();
  for (const { streamId, event } of events) {
    const append = byStream.get(streamId) ?? { streamId, events: [] };
    append.events.push(event);
    byStream.set(streamId, append);
  }
  return [...byStream.values()];
}

/** The generator's exposures as the exposure decider writes them: each stream's earlier lessons in `namedEarlier`. */
function asWritten(events: readonly { streamId: string; eventId: string; type: string; data: unknown; metadata: LoggedEvent['event']['metadata'] }[]): LoggedEvent[] {
  const named = new Map<string, ReturnType<typeof namedAfter>>();
  return events.map((e) => {
    const data = e.data as LessonExposureRecordedData;
    const earlier = named.get(e.streamId) ?? [];
    named.set(e.streamId, namedAfter(earlier, data));
    const written = { ...data, namedEarlier: [...earlier] };
    return { streamId: e.streamId, event: { eventId: e.eventId, type: e.type, schemaVersion: LESSON_EXPOSURE_RECORDED_VERSION, data: written, metadata: e.metadata } };
  });
}

/** Yields each seed's world as stream appends, with how many sessions and events it holds. */
export function* worldLogChunks(shape: WorldLogShape): Generator<{ seed: number; sessions: number; events: number; appends: StreamAppend[] }> {
  for (let seed = 1, done = 0; done < shape.sessions; seed += 1) {
    const sessions = Math.min(shape.chunk, shape.sessions - done);
    const config: SessionsWorldConfig = {
      ...DEFAULT_SESSIONS_WORLD,
      seed,
      sessions,
      lessons: shape.lessons,
      holdoutRate: shape.holdoutRate,
      inclusionDraws: shape.inclusionDraws,
      sessionLog: !shape.exposuresOnly,
    };
    const world = simulateSessionsWorld(config);
    const exposures: LoggedEvent[] = asWritten(world.events);
    const all = [...world.sessionLog, ...exposures];
    yield { seed, sessions, events: all.length, appends: groupedAppends(all) };
    done += sessions;
  }
}
