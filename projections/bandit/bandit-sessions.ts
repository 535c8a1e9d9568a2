/**
 * `bandit-sessions`: the bandit's events indexed by lesson, so a lesson's posterior and audit read only the
 * sessions that selected it instead of the whole log. Two tables:
 * - `bandit_session_events`: every selection (`LessonArmsSampled`) and reward (`SessionRewardObserved`)
 *   with its session, log position (commit, prepare), global position, event time, metadata and data (the
 *   event as the fold needs it) at `schema_version`, the version it was projected at: readers upcast it (as the
 *   store upcasts the log), so a later upcaster changes the rows' data without a rebuild;
 * - `bandit_lesson_sessions`: (lesson, session) for every lesson a selection selected.
 * A lesson's events are then the selections and rewards of its sessions, which is all the posterior fold
 * needs for that lesson's arms (discounting aside: see src/bandit/lesson-bandit-events.ts).
 * The keys (session, selected lessons) are taken at projection time: an upcaster that changed a `sessionId` or
 * `selected` would need a new version of this projection (a rebuild), not only the upcast on read.
 */
import type { LessonArmsSampledData } from '../../contracts/bandit.js';
import type { RecordedEvent } from '../../contracts/envelope.js';
import { POSTERIOR_EVENT_TYPES } from './posterior.js';
import { defineChangesProjection, increment, perEvent, upsert, type ReadModelChange } from '../machinery/projection.js';

export const BANDIT_SESSION_EVENTS_TABLE = 'bandit_session_events';
export const BANDIT_LESSON_SESSIONS_TABLE = 'bandit_lesson_sessions';
type Table = typeof BANDIT_SESSION_EVENTS_TABLE | typeof BANDIT_LESSON_SESSIONS_TABLE;

export const banditSessions = defineChangesProjection<Record<string, never>, Table>({
  name: 'bandit-sessions',
  version: 1,
  description: 'Bandit selections and rewards by session, and the sessions of each lesson (posterior and audit reads)',
  oneSegmentBecause:
    'a reward joins the session\'s selection to the lessons it sampled: sessions and lessons are two keys; few events',
  eventTypes: POSTERIOR_EVENT_TYPES,
  defaultRules: {},
  tables: {
    [BANDIT_SESSION_EVENTS_TABLE]: {
      key: { event_id: 'text' },
      columns: {
        session_id: 'text',
        event_type: 'text',
        schema_version: 'int4',
        stream_id: 'text',
        stream_revision: 'numeric',
        commit_position: 'numeric',
        prepare_position: 'numeric',
        global_position: 'numeric',
        occurred_at: 'timestamptz',
        recorded_at: 'timestamptz',
        metadata: 'jsonb',
        data: 'jsonb',
      },
      indexes: [['session_id'], ['commit_position', 'prepare_position']],
    },
    [BANDIT_LESSON_SESSIONS_TABLE]: {
      key: { lesson_id: 'text', session_id: 'text' },
      columns: { selections: 'int4' },
    },
  },
  project: perEvent((event: RecordedEvent): ReadModelChange<Table>[] => {
    const sessionId = (event.data as { sessionId: string }).sessionId;
    const changes: ReadModelChange<Table>[] = [
      upsert(BANDIT_SESSION_EVENTS_TABLE, { event_id: event.eventId }, {
        session_id: sessionId,
        event_type: event.type,
        schema_version: event.schemaVersion,
        stream_id: event.streamId,
        stream_revision: event.streamRevision.toString(),
        commit_position: event.position.commit.toString(),
        prepare_position: event.position.prepare.toString(),
        global_position: event.globalPosition.toString(),
        occurred_at: event.metadata.occurredAt,
        recorded_at: event.recordedAt,
        metadata: event.metadata as unknown as Record<string, unknown>,
        data: event.data as Record<string, unknown>,
      }),
    ];
    if (event.type === 'LessonArmsSampled') {
      for (const lessonId of (event.data as LessonArmsSampledData).selected) {
        changes.push(increment(BANDIT_LESSON_SESSIONS_TABLE, { lesson_id: lessonId, session_id: sessionId }, { selections: 1 }));
      }
    }
    return changes;
  }),
});
