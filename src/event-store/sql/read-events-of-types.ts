import type { Position } from '../../../contracts/envelope.js';
import type { SqlExecutor } from '../../database/sql-client.js';
import { EVENT_COLUMNS, horizonBound, positionParams, toRecordedEvent, type EventRow, type HorizonEngine } from './event-rows.js';
import type { LogPage } from './log-page.js';

interface TypedRow extends EventRow {
  past_filter: boolean;
  passed: number;
}

/**
 * The first `maxCount` readable events of the given types after a position, for a consumer catching up that
 * folds nothing else: the rest of the log is passed over in PostgreSQL, never sent, parsed or decoded.
 *
 * When fewer than `maxCount` match, the page also ends with the last readable event of any type (unless that is
 * already its last): the consumer's checkpoint then moves to the head, and everything up to there was seen.
 * Page and head are read under one horizon, in one statement, so no event of the types can be behind that last
 * event and yet missing from the page. `passed` counts every log event the page covers, for progress and rates.
 */
export async function selectEventsOfTypes(
  sql: SqlExecutor,
  engine: HorizonEngine,
  after: Position | undefined,
  maxCount: number,
  types: readonly string[],
): Promise<LogPage> {
  const { rows } = await sql.query<TypedRow>(
    `WITH horizon AS MATERIALIZED (SELECT ${horizonBound(engine)} AS below),
     page AS MATERIALIZED (
       SELECT ${EVENT_COLUMNS}, false AS past_filter FROM events
        WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
          AND transaction_id < (SELECT below FROM horizon)
          AND type = ANY($4::text[])
        ORDER BY transaction_id, global_position
        LIMIT $3::int),
     head AS MATERIALIZED (
       SELECT ${EVENT_COLUMNS}, true AS past_filter FROM events
        WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
          AND transaction_id < (SELECT below FROM horizon)
          AND (SELECT count(*) FROM page) < $3::int
        ORDER BY transaction_id DESC, global_position DESC
        LIMIT 1),
     through AS MATERIALIZED (
       SELECT transaction_id, global_position
         FROM (SELECT transaction_id, global_position FROM page
               UNION ALL SELECT transaction_id, global_position FROM head) AS ends
        ORDER BY transaction_id DESC, global_position DESC
        LIMIT 1)
     SELECT r.*,
            (SELECT count(*) FROM events e
              WHERE (e.transaction_id, e.global_position) > ($1::xid8, $2::bigint)
                AND (e.transaction_id, e.global_position)
                    <= ((SELECT transaction_id FROM through), (SELECT global_position FROM through)))::int AS passed
       FROM (SELECT * FROM page UNION ALL SELECT * FROM head) AS r
      ORDER BY r.past_filter, r.transaction_id, r.global_position`,
    [...positionParams(after), maxCount, [...types]],
  );
  const matching = rows.filter((row) => !row.past_filter);
  const full = matching.length >= maxCount;
  const events = matching.map(toRecordedEvent);
  const head = full ? undefined : rows.find((row) => row.past_filter);
  const last = matching[matching.length - 1];
  if (head && !(last && last.transaction_id === head.transaction_id && last.global_position === head.global_position)) {
    events.push(toRecordedEvent(head));
  }
  return { events, passed: rows[0]?.passed ?? 0, full };
}
