/** Reading an instance's rows back in a form that compares with `projections/machinery/testing.ts` results. */
import type { SqlExecutor } from '../../../src/database/sql-client.js';
import type { RecordedEvent } from '../../../contracts/envelope.js';
import type { EventStore } from '../../../src/event-store/event-store.port.js';
import type { Row } from '../../../projections/machinery/testing.js';

export function normaliseValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)) return new Date(value).toISOString();
  return value;
}

/** An instance's outcome_counts rows, ordered by key, counts as numbers, times as ISO strings. */
export async function outcomeCountRows(db: SqlExecutor, instanceId: string): Promise<Row[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT model, tool_format, test, passes::int4 AS passes, fails::int4 AS fails, infra_errors::int4 AS infra_errors,
            last_run_id, last_run_at, last_passed
       FROM outcome_counts WHERE instance_id = $1 ORDER BY model COLLATE "C", tool_format COLLATE "C", test COLLATE "C"`,
    [instanceId],
  );
  return sortRows(rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, normaliseValue(v)])) as Row));
}

/** Rows from `given()` in the same normal form. */
export function normaliseRows(rows: Row[]): Row[] {
  return sortRows(rows).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, normaliseValue(v)])) as Row);
}

/** Every event in the store, in global order. */
export async function readEverything(store: EventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for (;;) {
    const last = all[all.length - 1];
    const page = await store.readAll({ ...(last ? { after: last.position } : {}), maxCount: 5000 });
    all.push(...page);
    if (page.length < 5000) return all;
  }
}

/** Orders rows by their key columns the way `COLLATE "C"` does. */
export function sortRows(rows: Row[], keys = ['model', 'tool_format', 'test']): Row[] {
  const keyOf = (row: Row) => keys.map((k) => String(row[k])).join('\u0000');
  return [...rows].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
}
