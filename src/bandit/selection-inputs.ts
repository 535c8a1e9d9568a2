/**
 * What a selection draws from, read without folding the log: the selectable lessons (`lesson-catalogue`)
 * and the posteriors (`bandit-sessions`, folded in the caller's cache), each read model plus the log after its
 * checkpoint. One tail read serves both (from the older checkpoint). Instead, a reason to fold the log when
 * either read model has not been built in this database (no instance, or nothing processed yet: e.g. a process
 * with LESSONLOOP_RUN_PROJECTIONS=never and no other process projecting) or lags the log by more than
 * `MAX_TAIL` events (reading that tail on every selection would cost more than the caller's cached fold).
 */
import type { Position, RecordedEvent } from '../../contracts/envelope.js';
import { comparePositions } from '../../contracts/envelope.js';
import { banditSessions } from '../../projections/bandit/bandit-sessions.js';
import { lessonCatalogue } from '../../projections/lessons/lesson-catalogue.js';
import type { PosteriorState } from '../../projections/bandit/posterior.js';
import type { SqlExecutor } from '../database/sql-client.js';
import type { EventStore } from '../event-store/event-store.port.js';
import type { MatchableLesson } from '../lessons/domain/lesson-matcher.js';
import { readWholeLog } from '../event-store/read-whole-log.js';
import type { PosteriorCache } from './posterior-cache.js';
import { readModelStand } from './read-model-checkpoint.js';
import { selectableLessons } from './selectable-lessons.js';

export const MAX_TAIL = 20_000;

export interface SelectionInputs {
  /** The matched lessons' ids, in the matcher's order. */
  candidates: string[];
  /** The posteriors of the whole log (the caller may keep it). */
  posterior: PosteriorState;
}

/** `match`: the session's matcher over the selectable lessons. `atLeast`: the caller's own latest append. */
export async function readSelectionInputs(
  sql: SqlExecutor,
  store: EventStore,
  cache: PosteriorCache,
  match: (lessons: MatchableLesson[]) => string[],
  atLeast?: Position,
): Promise<SelectionInputs | { fold: string }> {
  // Checkpoints first: every event at or below them is in the rows read next; the tail holds the rest.
  const lessonsStand = await readModelStand(sql, lessonCatalogue.name);
  const banditStand = await readModelStand(sql, banditSessions.name);
  for (const [name, stand] of [[lessonCatalogue.name, lessonsStand], [banditSessions.name, banditStand]] as const) {
    if (!stand?.checkpoint) return { fold: `the ${name} read model has not been built in this database` };
  }
  const from = older(lessonsStand!.checkpoint!, banditStand!.checkpoint!);
  const lag = await store.countAfter(from);
  if (lag > MAX_TAIL) return { fold: `the lesson-catalogue or bandit-sessions read model is more than ${MAX_TAIL} events behind the log` };
  const tail = await readWholeLog(store, { ...(atLeast ? { atLeast } : {}), after: from });
  const candidates = match(await selectableLessons(sql, store, lessonsStand!.instanceId, after(tail, lessonsStand!.checkpoint)));
  const posterior = await cache.posteriors(banditStand!, after(tail, banditStand!.checkpoint));
  return { candidates, posterior };
}

function older(a: Position, b: Position): Position {
  return comparePositions(a, b) <= 0 ? a : b;
}

function after(events: RecordedEvent[], checkpoint: Position | null): RecordedEvent[] {
  return checkpoint ? events.filter((e) => comparePositions(e.position, checkpoint) > 0) : events;
}
