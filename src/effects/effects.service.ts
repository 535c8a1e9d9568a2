/** Exposure writes and effect reads, over the event store and the read-model database. */
import type { SqlExecutor } from '../database/sql-client.js';
import type { EventStore } from '../event-store/event-store.port.js';
import { EffectsReader } from './effects-reader.js';
import type { ExposuresBody } from './exposure-request.schemas.js';
import { recordExposures } from './record-exposures.js';

export class EffectsService {
  readonly reader: EffectsReader;

  constructor(private readonly store: EventStore, private readonly sql: SqlExecutor) {
    this.reader = new EffectsReader(sql, store);
  }

  record(body: ExposuresBody, actor?: string) {
    return recordExposures(this.sql, this.store, body, actor);
  }
}
