import { describeEventStoreContract } from '../event-store/event-store.contract.js';
import { createEventStoreDbStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store.js';
import { startFakeEventStoreDb } from './support/fake-eventstoredb.js';

/**
 * The shared EventStore contract, run on the EventStoreDB adapter through the real gRPC client against
 * the in-memory fake server (no EventStoreDB can run here). The run against a real server is the
 * contract spec that uses EVENTSTORE_CONNECTION_STRING.
 */
describeEventStoreContract('EventStoreDB adapter on an in-memory fake server (gRPC)', async () => {
  const fake = await startFakeEventStoreDb();
  const store = await createEventStoreDbStore(fake.connectionString);
  return {
    store,
    close: async () => {
      await store.close();
      await fake.stop();
    },
  };
});
