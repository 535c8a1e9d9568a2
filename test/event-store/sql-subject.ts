import { openTestDatabase, type TestDatabaseOptions } from '../support/test-database.js';
import { appendStreams } from '../../src/event-store/sql/append-streams.js';
import type { ContractSubject } from './event-store.contract.js';

class RollBackOnPurpose extends Error {}

/** A fresh SQL-backed store plus the hooks the contract's SQL-only checks need. */
export async function openSqlSubject(options: TestDatabaseOptions): Promise<ContractSubject> {
  const db = await openTestDatabase(options);
  const plain = { useCopy: () => false, insertChunkSize: 1000 };
  return {
    store: db.store,
    close: () => db.close(),
    sql: {
      async slowAppend(streamId, events, delayMs) {
        await db.sql.transaction(async (tx) => {
          await appendStreams(tx, [{ streamId, events }], plain);
          await tx.query('SELECT pg_sleep($1)', [delayMs / 1000]);
        });
      },
      async rolledBackAppend(streamId, events) {
        try {
          await db.sql.transaction(async (tx) => {
            await appendStreams(tx, [{ streamId, events }], plain);
            throw new RollBackOnPurpose();
          });
        } catch (error) {
          if (!(error instanceof RollBackOnPurpose)) throw error;
        }
      },
      execute: (statement) => db.sql.query(statement),
    },
  };
}
