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
import { BANDIT_SESSION_EVENTS_TABLE } from '../../projections/bandit-sessions.js';
import type { BanditRules } from '../../projections/bandit-rules.js';
import { foldPosteriors, POSTERIOR_EVENT_TYPES, type PosteriorState } from '../../projections/posterior.js';
import type { SqlExecutor } from '../database/sql-client.js';
import type { ReadModelStand } from './read-model-checkpoint.js';
import { rewardClock, sessionEventRows, toRecordedEvent } from './lesson-bandit-events.js';

const sessionOf = (event: RecordedEvent) => (event.data as { sessionId: string }).sessionId;

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
  const rows = await sessionEventRows(sql, stand.instanceId, lessonIds);
  const wanted = new Set(lessonIds);
  const sessions = new Set(rows.map((row) => row.session_id));
  for (const e of banditTail) {
    if (e.type === 'LessonArmsSampled' && (e.data as LessonArmsSampledData).selected.some((id) => wanted.has(id))) sessions.add(sessionOf(e));
  }
  const byId = new Map(rows.map((row) => [row.event_id, toRecordedEvent(row)]));
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
