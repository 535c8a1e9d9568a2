/**
 * A lesson's bandit history without reading the whole log: the selections and rewards of the sessions that
 * selected it, from the `bandit-sessions` read model, plus whatever the log holds after the read model's
 * checkpoint (the read model follows the log; the tail closes the gap, so the answer is the same as a fold of
 * the whole log). For the lesson's arms that is everything the posterior fold needs, except the discount
 * clock when gamma < 1: every reward of the log ages every arm, so the clock (the rank of each reward among all
 * rewards that moved a posterior) is counted in the read model when it is at the head; otherwise, and when
 * the read model has not been built, the whole log is folded as before.
 * The read model keeps each event's data at the version it was projected at (`schema_version`); rows are
 * upcast on read as the store upcasts the log, so an upcaster added later reaches both alike.
 */
import { catalogueUpcasting, type Upcasting } from '../../contracts/catalogue.js';
import { comparePositions, type Position, type RecordedEvent } from '../../contracts/envelope.js';
import type { LessonArmsSampledData } from '../../contracts/bandit.js';
import { BANDIT_LESSON_SESSIONS_TABLE, BANDIT_SESSION_EVENTS_TABLE, banditSessions } from '../../projections/bandit/bandit-sessions.js';
import { POSTERIOR_EVENT_TYPES, type RewardSteps } from '../../projections/bandit/posterior.js';
import type { SqlExecutor } from '../database/sql-client.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { readWholeLog } from '../event-store/read-whole-log.js';
import { readModelStand } from './read-model-checkpoint.js';

export interface LessonBanditHistory {
  /** Selections and rewards, in log order: the lesson's sessions' (or every one, when read from the log). */
  events: RecordedEvent[];
  /** The discount clock per reward, when `events` is only part of the log and the rules discount; else null. */
  steps: RewardSteps | null;
  /** The clock after the last reward (up to `asOf`), with `steps`; else null. */
  finalStep: number | null;
  /** Where it came from: the read model (plus the log's tail), or the whole log. */
  source: 'read-model' | 'log';
}

export interface LessonBanditOptions {
  /** Only events that had happened by then (world time), as a posterior `asOf` needs. */
  asOf?: Date;
  /** Discounting (rules.gamma < 1) needs the clock. */
  discounted: boolean;
  /** Wait (up to 5 s) until this position is readable: the caller's own append. */
  atLeast?: Position;
  /** How the read model's rows are lifted: the store's upcasting (the catalogue's unless a spec says otherwise). */
  upcasting?: Upcasting;
}

const isBanditEvent = (e: RecordedEvent) => (POSTERIOR_EVENT_TYPES as readonly string[]).includes(e.type);

export async function lessonBanditHistory(
  sql: SqlExecutor | null,
  store: EventStore,
  lessonId: string,
  options: LessonBanditOptions,
): Promise<LessonBanditHistory> {
  const until = options.asOf?.getTime();
  const happened = (e: RecordedEvent) => until === undefined || Date.parse(e.metadata.occurredAt) <= until;
  // The checkpoint first: every event at or below it is in the rows read next; the tail holds the rest.
  const stand = sql ? await readModelStand(sql, banditSessions.name) : null;
  if (!sql || !stand) return fromLog(store, options, happened);
  const { instanceId, checkpoint } = stand;
  const rows = await sessionEventRows(sql, instanceId, lessonId);
  const tail = (await readWholeLog(store, { ...(options.atLeast ? { atLeast: options.atLeast } : {}), ...(checkpoint ? { after: checkpoint } : {}) })).filter(isBanditEvent);
  if (options.discounted && tail.length > 0) return fromLog(store, options, happened);
  const sessions = new Set(rows.map((r) => r.session_id));
  for (const e of tail) {
    if (e.type === 'LessonArmsSampled' && (e.data as LessonArmsSampledData).selected.includes(lessonId)) sessions.add((e.data as LessonArmsSampledData).sessionId);
  }
  const upcasting = options.upcasting ?? catalogueUpcasting;
  const byId = new Map(rows.map((row) => [row.event_id, upcasting.upcast(toRecordedEvent(row))]));
  for (const e of tail) if (sessions.has((e.data as { sessionId: string }).sessionId)) byId.set(e.eventId, e);
  const events = [...byId.values()].sort((a, b) => comparePositions(a.position, b.position)).filter(happened);
  if (!options.discounted) return { events, steps: null, finalStep: null, source: 'read-model' };
  const rewards = events.filter((e) => e.type === 'SessionRewardObserved').map((e) => e.eventId);
  const clock = await rewardClock(sql, instanceId, rewards, options.asOf, checkpoint);
  return { events, steps: clock.steps, finalStep: clock.finalStep, source: 'read-model' };
}

async function fromLog(store: EventStore, options: LessonBanditOptions, happened: (e: RecordedEvent) => boolean): Promise<LessonBanditHistory> {
  const events = (await readWholeLog(store, options.atLeast ? { atLeast: options.atLeast } : {})).filter((e) => isBanditEvent(e) && happened(e));
  return { events, steps: null, finalStep: null, source: 'log' };
}

interface SessionEventRow {
  event_id: string;
  session_id: string;
  event_type: string;
  schema_version: number;
  stream_id: string;
  stream_revision: string;
  commit_position: string;
  prepare_position: string;
  global_position: string;
  recorded_at: Date | string;
  metadata: RecordedEvent['metadata'];
  data: unknown;
}

async function sessionEventRows(sql: SqlExecutor, instanceId: string, lessonId: string): Promise<SessionEventRow[]> {
  const { rows } = await sql.query<SessionEventRow>(
    `SELECT e.event_id, e.session_id, e.event_type, e.schema_version, e.stream_id, e.stream_revision::text AS stream_revision,
            e.commit_position::text AS commit_position, e.prepare_position::text AS prepare_position,
            e.global_position::text AS global_position, e.recorded_at, e.metadata, e.data
       FROM ${BANDIT_SESSION_EVENTS_TABLE} e
      WHERE e.instance_id = $1
        AND e.session_id IN (SELECT s.session_id FROM ${BANDIT_LESSON_SESSIONS_TABLE} s WHERE s.instance_id = $1 AND s.lesson_id = $2)
      ORDER BY e.commit_position, e.prepare_position`,
    [instanceId, lessonId],
  );
  return rows;
}

function toRecordedEvent(row: SessionEventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    type: row.event_type,
    schemaVersion: Number(row.schema_version),
    data: row.data,
    metadata: row.metadata,
    streamId: row.stream_id,
    streamRevision: BigInt(row.stream_revision),
    position: { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) },
    globalPosition: BigInt(row.global_position),
    recordedAt: new Date(row.recorded_at),
  };
}

/**
 * The discount clock from the read model: a reward moves posteriors when the event before it in its session
 * (among those that happened by `asOf`) is a selection; the clock after it is its rank among such rewards.
 */
async function rewardClock(
  sql: SqlExecutor,
  instanceId: string,
  rewardIds: string[],
  asOf: Date | undefined,
  checkpoint: Position | null,
): Promise<{ steps: RewardSteps; finalStep: number }> {
  // Only up to the checkpoint read before the rows: rows the processor commits meanwhile are not in the answer.
  const { rows } = await sql.query<{ event_id: string | null; step: string }>(
    `WITH ev AS (
       SELECT event_id, event_type, commit_position, prepare_position,
              lag(event_type) OVER (PARTITION BY session_id ORDER BY commit_position, prepare_position) AS previous
         FROM ${BANDIT_SESSION_EVENTS_TABLE}
        WHERE instance_id = $1 AND ($2::timestamptz IS NULL OR date_trunc('milliseconds', occurred_at) <= $2::timestamptz)
          AND ($4::numeric IS NULL OR (commit_position, prepare_position) <= ($4::numeric, $5::numeric))
     ), closing AS (
       SELECT event_id, row_number() OVER (ORDER BY commit_position, prepare_position) AS step
         FROM ev WHERE event_type = 'SessionRewardObserved' AND previous = 'LessonArmsSampled'
     )
     SELECT event_id, step::text AS step FROM closing WHERE event_id = ANY($3::text[])
     UNION ALL
     SELECT NULL, count(*)::text FROM closing`,
    [instanceId, asOf ? asOf.toISOString() : null, rewardIds, checkpoint?.commit.toString() ?? null, checkpoint?.prepare.toString() ?? null],
  );
  const steps = new Map<string, number>();
  let finalStep = 0;
  for (const row of rows) {
    if (row.event_id === null) finalStep = Number(row.step);
    else steps.set(row.event_id, Number(row.step));
  }
  return { steps, finalStep };
}
