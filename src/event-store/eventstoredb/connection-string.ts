/**
 * Connection strings for the EventStoreDB client. The v6 client only parses `esdb://` and
 * `esdb+discover://`; KurrentDB (the renamed server) documents `kurrentdb://`, which our config accepts,
 * so both are rewritten to the scheme the client understands.
 */

export interface ConnectionTarget {
  /** `host:port` of every node named in the string, credentials removed. */
  hosts: string[];
  /** Gossip discovery (`+discover`) rather than a single node. */
  discover: boolean;
  /** The client's default is TLS on; only `tls=false` turns it off. */
  tls: boolean;
}

const SCHEME = /^(esdb|kurrentdb|kurrent)(\+discover)?:\/\//i;

export function normalizeConnectionString(connectionString: string): string {
  const trimmed = connectionString.trim();
  const match = SCHEME.exec(trimmed);
  if (!match) return trimmed;
  return `esdb${match[2] ? '+discover' : ''}://${trimmed.slice(match[0].length)}`;
}

/** What to name in error messages: never the credentials. */
export function describeConnectionTarget(connectionString: string): ConnectionTarget {
  const normalized = normalizeConnectionString(connectionString);
  const match = SCHEME.exec(normalized);
  const rest = match ? normalized.slice(match[0].length) : normalized;
  const queryStart = rest.indexOf('?');
  const authority = (queryStart === -1 ? rest : rest.slice(0, queryStart)).replace(/\/+$/, '');
  const query = new URLSearchParams(queryStart === -1 ? '' : rest.slice(queryStart + 1));
  const withoutCredentials = authority.includes('@') ? authority.slice(authority.lastIndexOf('@') + 1) : authority;
  const hosts = withoutCredentials
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '')
    .map((h) => (h.includes(':') ? h : `${h}:2113`));
  const tlsParam = [...query.entries()].find(([k]) => k.toLowerCase() === 'tls')?.[1];
  return { hosts, discover: Boolean(match?.[2]), tls: tlsParam?.toLowerCase() !== 'false' };
}
