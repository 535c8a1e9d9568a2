/**
 * The posteriors a selection draws from, without reading the log: the fold of the `bandit-sessions` rows
 * (every selection and reward, in log order) up to the read model's checkpoint, kept in this process and
 * advanced by the rows after it on each use, plus the log's tail after the checkpoint folded onto a copy.
 * That is the fold of the whole log's bandit events, so every arm and the discount clock are exact. Memory is
 * the posterior state (arms and open sessions), not the log. Rows are upcast from the version they were
 * projected at, as the store upcasts the log.
 */
import { catalogueUpcasting, type Upcasting } from '../../contracts/catalogue.js';
import { comparePositions, type Position, type RecordedEvent } from '../../contracts/envelope.js';
import { BANDIT_SESSION_EVENTS_TABLE } from '../../projections/bandit/bandit-sessions.js';
import type { BanditRules } from '../../projections/bandit/bandit-rules.js';
import { emptyPosteriorState, foldPosteriors, POSTERIOR_EVENT_TYPES, type PosteriorEvent, type PosteriorState } from '../../projections/bandit/posterior.js';
import type { SqlExecutor } from '../database/sql-client.js';
import type { ReadModelStand } from './read-model-checkpoint.js';

const PAGE = 5000;

export class PosteriorCache {
  private instanceId: string | undefined;
  private upTo: Position | null = null;
  private state = emptyPosteriorState();
  private advancing: Promise<void> = Promise.resolve();

  constructor(
    private readonly sql: SqlExecutor,
    readonly rules: BanditRules,
    /** The store's upcasting (the catalogue's unless a spec says otherwise). */
    private readonly upcasting: Upcasting = catalogueUpcasting,
  ) {}

  /** `tail`: the log after `stand.checkpoint` (any event types; others are ignored). Returns a state the caller may keep. */
  async posteriors(stand: ReadModelStand, tail: readonly RecordedEvent[]): Promise<PosteriorState> {
    // One advance at a time; a concurrent one may have gone further than this stand, never less far.
    this.advancing = this.advancing.then(() => this.advance(stand));
    await this.advancing;
    const upTo = this.upTo;
    const rest = tail.filter((e) => (POSTERIOR_EVENT_TYPES as readonly string[]).includes(e.type) && (!upTo || comparePositions(e.position, upTo) > 0));
    // Reward and selection folds replace arm and session objects, never change them: a shallow copy is enough.
    const copy: PosteriorState = { step: this.state.step, sessions: { ...this.state.sessions }, arms: { ...this.state.arms } };
    return foldPosteriors(rest, this.rules, copy);
  }

  private async advance(stand: ReadModelStand): Promise<void> {
    if (stand.instanceId !== this.instanceId) {
      this.instanceId = stand.instanceId;
      this.upTo = null;
      this.state = emptyPosteriorState();
    }
    const checkpoint = stand.checkpoint;
    if (!checkpoint || (this.upTo && comparePositions(this.upTo, checkpoint) >= 0)) return;
    for (;;) {
      const rows = await rowsBetween(this.sql, this.upcasting, stand.instanceId, this.upTo, checkpoint);
      foldPosteriors(rows, this.rules, this.state);
      if (rows.length < PAGE) break;
      this.upTo = rows[rows.length - 1]!.position;
    }
    this.upTo = checkpoint;
  }
}

/**
 * Selections and rewards after `after` up to `upTo` (both positions of the log), in log order, with only what
 * the fold reads (session, selected lessons and context; reward and salience). A row at another version than
 * the current one is read whole and upcast: an upcaster takes the whole data, not the fields the fold reads.
 */
async function rowsBetween(
  sql: SqlExecutor,
  upcasting: Upcasting,
  instanceId: string,
  after: Position | null,
  upTo: Position,
): Promise<(PosteriorEvent & Pick<RecordedEvent, 'position'>)[]> {
  const { rows } = await sql.query<{ event_id: string; event_type: string; schema_version: number; commit_position: string; prepare_position: string; global_position: string; data: unknown }>(
    `SELECT event_id, event_type, schema_version, commit_position::text AS commit_position, prepare_position::text AS prepare_position,
            global_position::text AS global_position,
            CASE WHEN schema_version IS DISTINCT FROM (CASE WHEN event_type = 'LessonArmsSampled' THEN $6::int4 ELSE $7::int4 END)
                 THEN data
                 WHEN event_type = 'LessonArmsSampled'
                 THEN jsonb_build_object('sessionId', data->'sessionId', 'selected', data->'selected', 'context', data->'context')
                 ELSE jsonb_strip_nulls(jsonb_build_object('sessionId', data->'sessionId', 'reward', data->'reward', 'salience', data->'salience'))
            END AS data
       FROM ${BANDIT_SESSION_EVENTS_TABLE} e
      WHERE instance_id = $1
        AND ($2::numeric IS NULL OR (e.commit_position, e.prepare_position) > ($2::numeric, $3::numeric))
        AND (e.commit_position, e.prepare_position) <= ($4::numeric, $5::numeric)
      -- The table's numeric columns (e.), not the text aliases of the select list: '1000' sorts before '999'.
      ORDER BY e.commit_position, e.prepare_position
      LIMIT ${PAGE}`,
    [
      instanceId,
      after?.commit.toString() ?? null,
      after?.prepare.toString() ?? null,
      upTo.commit.toString(),
      upTo.prepare.toString(),
      upcasting.currentVersion('LessonArmsSampled') ?? null,
      upcasting.currentVersion('SessionRewardObserved') ?? null,
    ],
  );
  return rows.map((row) => {
    const { data } = upcasting.upcast({ type: row.event_type, schemaVersion: Number(row.schema_version), data: row.data });
    return {
      eventId: row.event_id,
      type: row.event_type,
      data,
      position: { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position) },
      globalPosition: BigInt(row.global_position),
    };
  });
}
