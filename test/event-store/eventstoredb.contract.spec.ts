import { randomUUID } from 'node:crypto';
import { describeEventStoreContract } from './event-store.contract.js';
import { describeFilteredCatchUp } from './filtered-catch-up.contract.js';
import { createEventStoreDbStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store.js';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING?.trim();

if (connectionString) {
  // A real server is shared and never empty: each test gets "a fresh store" as a stream prefix of its own.
  const openSubject = async () => {
    const store = await createEventStoreDbStore(connectionString, { streamPrefix: `contract-${randomUUID()}-` });
    return { store, close: () => store.close() };
  };
  describeEventStoreContract('EventStoreDB server', openSubject);
  describeFilteredCatchUp('EventStoreDB server', openSubject);
} else {
  describe.skip('EventStoreDB contract suite not run: EVENTSTORE_CONNECTION_STRING is not set', () => {
    it('needs EVENTSTORE_CONNECTION_STRING', () => undefined);
  });
}
