import net from 'node:net';
import { EventStoreUnavailableError } from '../../src/event-store/event-store.port.js';
import {
  describeConnectionTarget,
  normalizeConnectionString,
} from '../../src/event-store/eventstoredb/connection-string.js';
import { createEventStoreDbStore } from '../../src/event-store/eventstoredb/eventstoredb-event-store.js';

/** A port that was just free: listen on 0, note the port, close. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('EventStoreDB connection strings', () => {
  it('rewrites kurrentdb:// (and +discover) to the esdb:// scheme the v6 client parses', () => {
    expect(normalizeConnectionString('kurrentdb://h:2113?tls=false')).toBe('esdb://h:2113?tls=false');
    expect(normalizeConnectionString('kurrent+discover://a:2113,b:2113')).toBe('esdb+discover://a:2113,b:2113');
    expect(normalizeConnectionString(' esdb://h ')).toBe('esdb://h');
  });

  it('names hosts (default port 2113) and the tls mode, never the credentials', () => {
    expect(describeConnectionTarget('esdb://admin:secret@es1,es2:3113?tls=false&tlsVerifyCert=false')).toEqual({
      hosts: ['es1:2113', 'es2:3113'],
      discover: false,
      tls: false,
    });
    expect(describeConnectionTarget('esdb+discover://node:2113')).toEqual({ hosts: ['node:2113'], discover: true, tls: true });
  });
});

describe('createEventStoreDbStore start-up check', () => {
  it('fails fast with EventStoreUnavailableError naming the host when nothing listens on the port', async () => {
    const port = await closedPort();
    const started = Date.now();
    const attempt = createEventStoreDbStore(`esdb://admin:changeit@127.0.0.1:${port}?tls=false`, { connectTimeoutMs: 3000 });
    await expect(attempt).rejects.toBeInstanceOf(EventStoreUnavailableError);
    const error = (await attempt.catch((e: unknown) => e)) as Error;
    expect(Date.now() - started).toBeLessThan(4000);
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).toMatch(/running/);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.message).toMatch(/tls=false/);
    expect(error.message).not.toMatch(/Resolution note/);
    expect(error.message).not.toContain('changeit');
  });

  it('reports an unparsable connection string as EventStoreUnavailableError too', async () => {
    await expect(createEventStoreDbStore('esdb://host:notaport')).rejects.toThrow(/cannot be parsed/);
  });
});
