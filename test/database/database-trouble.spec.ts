/** Which errors mean "the database is the problem" (a 503 and a retry), and which do not (a bug: a 500). */
import { QueryFailedError } from 'typeorm';
import { DatabaseUnavailableError } from '../../src/database/database-errors.js';
import { databaseTroubleOf } from '../../src/database/database-trouble.js';
import { EventStoreUnavailableError } from '../../src/event-store/event-store.port.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('databaseTroubleOf', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a reset connection', withCode('read ECONNRESET', 'ECONNRESET')],
    ["pg's broken connection", new Error('Connection terminated unexpectedly')],
    ["pg-pool's connect timeout", new Error('timeout exceeded when trying to connect')],
    ['an admin shutdown (57P01)', withCode('terminating connection due to administrator command', '57P01')],
    ['a connection exception (08006)', withCode('connection failure', '08006')],
    ['too many connections (53300)', withCode('sorry, too many clients already', '53300')],
    ['a dropped database (3D000)', withCode('database "x" does not exist', '3D000')],
    ['a dual-stack connect', new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], '')],
    ['an opening failure', new DatabaseUnavailableError('PostgreSQL is unreachable')],
    ['a wrapped cause', new Error('append failed', { cause: withCode('read ECONNRESET', 'ECONNRESET') })],
  ])('%s is the database unavailable', (_, error) => {
    expect(databaseTroubleOf(error)).toMatchObject({ kind: 'unavailable', store: 'database' });
  });

  it('sees through TypeORM to the driver error', () => {
    const error = new QueryFailedError('SELECT 1', [], withCode('relation "events" does not exist', '42P01'));
    expect(databaseTroubleOf(error)).toMatchObject({ kind: 'undefined-relation' });
  });

  it('names the event store when EventStoreDB is unreachable', () => {
    expect(databaseTroubleOf(new EventStoreUnavailableError('down'))).toMatchObject({ kind: 'unavailable', store: 'event store' });
  });

  it.each([
    ['a unique violation', withCode('duplicate key', '23505')],
    ['a syntax error', withCode('syntax error at or near', '42601')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a non-error', 'oops'],
  ])('%s is not database trouble', (_, error) => {
    expect(databaseTroubleOf(error)).toBeUndefined();
  });
});
