import type { AppConfig } from '../config/app-config.js';
import type { SqlClient } from '../database/sql-client.js';
import type { EventStore } from './event-store.port.js';
import { withCatalogue } from './catalogue-event-store.js';
import { countingAppends } from './counting-appends.js';
import { createEventStoreDbStore } from './eventstoredb/eventstoredb-event-store.js';
import { SqlEventStore } from './sql/sql-event-store.js';

/**
 * The application's event store: EventStoreDB when EVENTSTORE_CONNECTION_STRING is set, otherwise the SQL
 * store on the application database. Either way every append is validated against the event catalogue and
 * every read is upcast.
 */
export async function openEventStore(config: AppConfig, sql: SqlClient): Promise<EventStore> {
  const inner = config.EVENTSTORE_CONNECTION_STRING
    ? await createEventStoreDbStore(config.EVENTSTORE_CONNECTION_STRING)
    : new SqlEventStore(sql);
  return countingAppends(withCatalogue(inner));
}
