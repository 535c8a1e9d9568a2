/**
 * The posterior state a selection draws from, for its candidate lessons only: the selections and rewards of
 * the sessions that selected any candidate (`bandit-sessions` rows plus the log after the read model's
 * checkpoint). The candidates' arms then equal those of a fold of the whole log. With decay the discount
 * clock is the rank of each reward among all rewards that moved a posterior: counted in the read model up to
 * its checkpoint, then over the tail (a tail reward moves when the event before it in its session, in the
 * tail or else in the read model, is a selection).
 */
import type { LessonArmsSampledData } from '../../contracts/bandit.js';
import { comparePositions, type Position, type RecordedEvent } from '../../contracts/envelope.js';
import { BANDIT_LESSON_SESSIONS_TABLE, BANDIT_SESSION_EVENTS_TABLE } from '../../projections/bandit-sessions.js';
import type { BanditRules } from '../../projections/bandit-rules.js';
import { foldPosteriors, POSTERIOR_EVENT_TYPES, type PosteriorEvent, type PosteriorState } from '../../projections/posterior.js';
import type { SqlExecutor } from '../database/sql-client.js';
import type { ReadModelStand } from './read-model-checkpoint.js';
import { rewardClock } from './lesson-bandit-events.js';

/** An event as the fold and the log order need it. */
type FoldInput = PosteriorEvent & Pick<RecordedEvent, 'position'>;

const sessionOf = (event: PosteriorEvent) => (event.data as { sessionId: string }).sessionId;

/** `tail`: the log after the read model's checkpoint (any event types; others are ignored). */
export async function candidatePosteriors(
  sql: SqlExecutor,
  stand: ReadModelStand,
  tail: readonly RecordedEvent[],
  lessonIds: readonly string[],
  rules: BanditRules,
): Promise<PosteriorState> {
  const banditTail = tail.filter((e) => (POSTERIOR_EVENT_TYPES as readonly string[]).includes(e.type));
  if (lessonIds.length === 0) return foldPosteriors([], rules);
  const rows = await foldInputRows(sql, stand.instanceId, lessonIds);
  const wanted = new Set(lessonIds);
  const sessions = new Set(rows.map((row) => sessionOf(row)));
  for (const e of banditTail) {
    if (e.type === 'LessonArmsSampled' && (e.data as LessonArmsSampledData).selected.some((id) => wanted.has(id))) sessions.add(sessionOf(e));
  }
  const byId = new Map<string, FoldInput>(rows.map((row) => [row.eventId, row]));
  for (const e of banditTail) if (sessions.has(sessionOf(e))) byId.set(e.eventId, e);
  const events = [...byId.values()].sort((a, b) => comparePositions(a.position, b.position));
  if (rules.gamma === 1) return foldPosteriors(events, rules);
  const rewards = events.filter((e) => e.type === 'SessionRewardObserved').map((e) => e.eventId);
  const clock = await rewardClock(sql, stand.instanceId, rewards, undefined, stand.checkpoint);
  const steps = new Map(clock.steps);
  const finalStep = await countTailRewards(sql, stand, banditTail, clock.finalStep, steps);
  const state = foldPosteriors(events, rules, undefined, steps);
  state.step = finalStep;
  return state;
}

/**
 * The events of the sessions that selected any of `lessonIds`, in log order, with only what the posterior fold
 * reads (type, id, position, and of the data: session, selected lessons and context, reward and salience).
 */
async function foldInputRows(sql: SqlExecutor, instanceId: string, lessonIds: readonly string[]): Promise<FoldInput[]> {
  const { rows } = await sql.query<{ event_id: string; event_type: string; commit_position: string; prepare_position: string; global_position: string; data: unknown }>(
    `SELECT e.event_id, e.event_type, e.commit_position::text AS commit_position, e.prepare_position::text AS prepare_position,
            e.global_position::text AS global_position,
            CASE WHEN e.event_type = 'LessonArmsSampled'
                 THEN jsonb_build_object('sessionId', e.data->'sessionId', 'selected', e.data->'selected', 'context', e.data->'context')
                 ELSE jsonb_strip_nulls(jsonb_build_object('sessionId', e.data->'sessionId', 'reward', e.data->'reward', 'salience', e.data->'salience'))
            END AS data
       FROM ${BANDIT_SESSION_EVENTS_TABLE} e
      WHERE e.instance_id = $1
        AND e.session_id IN (SELECT s.session_id FROM ${BANDIT_LESSON_SESSIONS_TABLE} s WHERE s.instance_id = $1 AND s.lesson_id = ANY($2::text[]))
      ORDER BY e.commit_position, e.prepare_position`,
    [instanceId, [...lessonIds]],
  );
  return rows.map((row) => ({
    eventId: row.event_id,
    type: row.event_type,
    data: row.data,
    position: { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) },
    globalPosition: BigInt(row.global_position),
  }));
}

/** Continues the clock over the tail (setting each moving tail reward's step); returns the clock after the tail. */
async function countTailRewards(
  sql: SqlExecutor,
  stand: ReadModelStand,
  tail: readonly RecordedEvent[],
  step: number,
  steps: Map<string, number>,
): Promise<number> {
  if (tail.length === 0) return step;
  const previous = await lastTypesUpTo(sql, stand.instanceId, [...new Set(tail.map(sessionOf))], stand.checkpoint);
  for (const e of tail) {
    const session = sessionOf(e);
    if (e.type === 'SessionRewardObserved' && previous.get(session) === 'LessonArmsSampled') steps.set(e.eventId, ++step);
    previous.set(session, e.type);
  }
  return step;
}

/** The type of each session's last event at or before the checkpoint. */
async function lastTypesUpTo(sql: SqlExecutor, instanceId: string, sessionIds: string[], checkpoint: Position | null): Promise<Map<string, string>> {
  if (!checkpoint) return new Map();
  const { rows } = await sql.query<{ session_id: string; event_type: string }>(
    `SELECT DISTINCT ON (session_id) session_id, event_type
       FROM ${BANDIT_SESSION_EVENTS_TABLE}
      WHERE instance_id = $1 AND session_id = ANY($2::text[])
        AND (commit_position, prepare_position) <= ($3::numeric, $4::numeric)
      ORDER BY session_id, commit_position DESC, prepare_position DESC`,
    [instanceId, sessionIds, checkpoint.commit.toString(), checkpoint.prepare.toString()],
  );
  return new Map(rows.map((row) => [row.session_id, row.event_type]));
}
