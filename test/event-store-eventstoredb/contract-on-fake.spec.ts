import { randomUUID } from 'node:crypto';
import { describeEventStoreContract } from '../event-store/event-store.contract.js';
import { createEventStoreDbStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store.js';
import { startFakeEventStoreDb, type FakeEventStoreDb } from './support/fake-eventstoredb.js';

/**
 * The shared EventStore contract, run on the EventStoreDB adapter through the real gRPC client against
 * the in-memory fake server (no EventStoreDB can run here). Like a run against one real server, every
 * test shares the node and gets "a fresh, empty store" from a stream prefix of its own.
 */
let fake: FakeEventStoreDb | undefined;

afterAll(async () => {
  await fake?.stop();
});

describeEventStoreContract('EventStoreDB adapter on an in-memory fake server (gRPC), one prefix per test', async () => {
  fake ??= await startFakeEventStoreDb();
  const store = await createEventStoreDbStore(fake.connectionString, { streamPrefix: `contract-${randomUUID()}-` });
  return { store, close: () => store.close() };
});
