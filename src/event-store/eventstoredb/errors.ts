import { ErrorType } from '@eventstore/db-client';
import { ConcurrencyError, EventStoreUnavailableError, type ExpectedRevision } from '../event-store.port.js';
import type { ConnectionTarget } from './connection-string.js';

/** The client's errors carry a string `type` (its ErrorType enum); checking it survives duplicate copies of the package. */
function errorType(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const type = (error as { type?: unknown }).type;
  return typeof type === 'string' ? type : undefined;
}

export function isStreamNotFound(error: unknown): boolean {
  return errorType(error) === ErrorType.STREAM_NOT_FOUND;
}

const CONNECTION_FAILURES: ReadonlySet<string> = new Set([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  ErrorType.NOT_LEADER,
]);

export function isConnectionFailure(error: unknown): boolean {
  const type = errorType(error);
  return type !== undefined && CONNECTION_FAILURES.has(type);
}

/**
 * WrongExpectedVersionError becomes our ConcurrencyError. `expected` is what the caller asked for (the
 * client reports its own translation of it); `actual` is the stream's revision the server saw.
 */
export function toStoreError(error: unknown, streamId: string, expected: ExpectedRevision): unknown {
  if (errorType(error) === ErrorType.WRONG_EXPECTED_VERSION) {
    const actualVersion = (error as { actualVersion?: unknown }).actualVersion;
    const actual = typeof actualVersion === 'bigint' && actualVersion >= 0n ? actualVersion : 'no_stream';
    return new ConcurrencyError(streamId, expected, actual);
  }
  return error;
}

export function describeTarget(target: ConnectionTarget): string {
  const where = target.hosts.length > 0 ? target.hosts.join(', ') : '(no host in the connection string)';
  return `${target.discover ? 'cluster seeds ' : ''}${where} (${target.tls ? 'TLS' : 'tls=false'})`;
}

/** gRPC messages carry a status number prefix and an empty "Resolution note:" tail; keep the useful part. */
function conciseReason(cause: unknown): string {
  const raw = cause instanceof Error ? cause.message : String(cause);
  return raw
    .replace(/^\d+\s+/, '')
    .replace(/Resolution note:\s*$/, '')
    .replace(/Error: /g, '')
    .replace(/[.\s]+$/, '');
}

/** The message names the host and what to check, so a wrong setting is fixed without reading code. */
export function unavailableError(target: ConnectionTarget, cause: unknown): EventStoreUnavailableError {
  const where = describeTarget(target);
  if (errorType(cause) === ErrorType.ACCESS_DENIED) {
    return new EventStoreUnavailableError(
      `EventStoreDB at ${where} refused to read $all (access denied). Put credentials in ` +
        'EVENTSTORE_CONNECTION_STRING (esdb://user:password@host:2113) or use a server started with EVENTSTORE_INSECURE=true.',
      { cause },
    );
  }
  const tlsHint = target.tls
    ? 'the string asks for TLS (the default): add ?tls=false for a server started with EVENTSTORE_INSECURE=true'
    : 'the string says tls=false: a secure server needs tls=true and its CA certificate';
  return new EventStoreUnavailableError(
    `EventStoreDB is not reachable at ${where}: ${conciseReason(cause)}. Check that the server is running and ` +
      `accepts gRPC on that host and port (default 2113); that the tls setting matches the server (${tlsHint}); ` +
      'and that EVENTSTORE_CONNECTION_STRING names the intended server.',
    { cause },
  );
}
