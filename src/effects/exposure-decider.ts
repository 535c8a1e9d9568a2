/**
 * One outcome's exposure stream (`exposure-<outcome event id>`): one LessonExposureRecorded per source. The event
 * id is derived from (outcome, source), so a second report from the same source decides nothing. A new event
 * carries the lessons the stream's earlier exposures named (`namedEarlier`): the append expects the revision that
 * was read, so they are exactly the exposures before it in the log, and a read model that counts an outcome once
 * per lesson needs no state per outcome.
 */
import type { NewEventOf } from '../../contracts/catalogue.js';
import type { LessonExposureRecordedData, NamedLesson } from '../../contracts/exposure.js';
import type { Decider } from '../common/commands/decider.js';

export interface RecordExposure {
  event: NewEventOf<'LessonExposureRecorded'>;
}

export interface ExposureStreamState {
  eventIds: ReadonlySet<string>;
  /** Every lesson (and revision) the stream's exposures named, once each, in order; not those of an infra error. */
  named: readonly NamedLesson[];
}

function namedKey(lesson: NamedLesson): string {
  const ref = lesson.lessonId !== undefined ? `id:${lesson.lessonId}` : `path:${lesson.path}`;
  return lesson.revision === undefined ? ref : `${ref}@r${lesson.revision}`;
}

/** The lessons named so far with those this exposure names (an infra error names none that count). */
export function namedAfter(named: readonly NamedLesson[], data: LessonExposureRecordedData): readonly NamedLesson[] {
  if (data.outcome.suspectedInfraError) return named;
  const seen = new Set(named.map(namedKey));
  const out = [...named];
  for (const { lessonId, path, revision } of [...data.injected, ...data.withheld]) {
    const lesson: NamedLesson = { ...(lessonId !== undefined ? { lessonId } : { path }), ...(revision !== undefined ? { revision } : {}) };
    const key = namedKey(lesson);
    if (!seen.has(key)) out.push(lesson);
    seen.add(key);
  }
  return out;
}

export const exposureDecider: Decider<RecordExposure, ExposureStreamState, NewEventOf<'LessonExposureRecorded'>> = {
  initialState: () => ({ eventIds: new Set(), named: [] }),
  evolve: (state, event) => ({
    eventIds: event.eventId ? new Set([...state.eventIds, event.eventId]) : state.eventIds,
    named: namedAfter(state.named, event.data),
  }),
  decide: (command, state) =>
    state.eventIds.has(command.event.eventId) ? [] : [{ ...command.event, data: { ...command.event.data, namedEarlier: [...state.named] } }],
};
