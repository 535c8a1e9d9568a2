import { Test } from '@nestjs/testing';
import { AppConfigModule } from '../../src/config/config.module.js';
import { loadAppConfig } from '../../src/config/app-config.js';
import { DatabaseModule } from '../../src/database/database.module.js';
import { SQL_CLIENT, type SqlClient } from '../../src/database/sql-client.js';
import { EventStoreModule } from '../../src/event-store/event-store.module.js';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port.js';
import { testEvent } from './event-store.contract.js';

describe('EventStoreModule and DatabaseModule', () => {
  it('provide a migrated database and a catalogue-checked store, and close both on shutdown', async () => {
    // An in-memory PGlite whatever the environment: this must not touch the DATABASE_URL server's database.
    const config = loadAppConfig({ LESSONLOOP_DATA_DIR: 'memory://' });
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot(config), DatabaseModule, EventStoreModule],
    }).compile();
    const app = await moduleRef.init();
    const sql = app.get<SqlClient>(SQL_CLIENT);
    const store = app.get<EventStore>(EVENT_STORE);

    expect(sql.kind).toBe('pglite');
    expect(store.kind).toBe('pglite');
    const { rows } = await sql.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
    expect(rows.map((r) => r.id)).toContain('0001_event_store');
    // The catalogue stands in front of the store: an unknown event type never reaches the database.
    await expect(store.appendToStream('s', [testEvent({ type: 'NotInTheCatalogue' })])).rejects.toThrow(/unknown event type/);
    expect(await store.readAll()).toEqual([]);

    await app.close();
    await expect(sql.query('SELECT 1')).rejects.toThrow(/closed/);
  });
});
