import { BACKWARDS, END, EventStoreDBClient } from '@eventstore/db-client';
import { EventStoreUnavailableError } from '../event-store.port.js';
import { describeConnectionTarget, normalizeConnectionString, type ConnectionTarget } from './connection-string.js';
import { unavailableError } from './errors.js';

export interface ConnectOptions {
  /** How long the start-up check may take before the store is declared unreachable (ms). */
  connectTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

function parse(connectionString: string, target: ConnectionTarget): EventStoreDBClient {
  try {
    return EventStoreDBClient.connectionString(normalizeConnectionString(connectionString));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EventStoreUnavailableError(
      `EVENTSTORE_CONNECTION_STRING for ${target.hosts.join(', ') || 'EventStoreDB'} cannot be parsed: ${reason}. ` +
        'Expected esdb://host:2113?tls=false (or esdb+discover://, kurrentdb://).',
      { cause: error },
    );
  }
}

/**
 * A client whose server answered: reads the last event of $all with a short deadline. A refused port
 * or unknown host fails in milliseconds; an unreachable address fails at the deadline; gossip discovery
 * is capped by the same timer.
 */
export async function connectVerified(connectionString: string, options: ConnectOptions = {}): Promise<EventStoreDBClient> {
  const target = describeConnectionTarget(connectionString);
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const client = parse(connectionString, target);
  let timer: NodeJS.Timeout | undefined;
  const probe = (async () => {
    for await (const _ of client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1, deadline: timeoutMs })) {
      // Reaching the server is the point; the event itself is not needed.
    }
  })();
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs + 250);
  });
  try {
    await Promise.race([probe, deadline]);
    return client;
  } catch (error) {
    probe.catch(() => undefined);
    await client.dispose().catch(() => undefined);
    throw unavailableError(target, error);
  } finally {
    clearTimeout(timer);
  }
}
