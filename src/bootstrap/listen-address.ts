import type { AddressInfo } from 'node:net';

const EVERY_INTERFACE = new Set(['::', '0.0.0.0']);

const hostInUrl = (host: string) => (host.includes(':') ? `[${host}]` : host);

/**
 * What the server tells about where it listens: `listening on port 3000, every interface (http://localhost:3000)`
 * when bound to `::`/`0.0.0.0`, else the one address. `localUrl` is the URL a process on this machine uses
 * (recorded in the embedded store's lock for the CLI).
 */
export function describeListen(address: AddressInfo | string | null, host: string): { line: string; localUrl: string } {
  if (address === null || typeof address === 'string') return { line: `listening on ${address ?? host}`, localUrl: `http://${hostInUrl(host)}` };
  if (EVERY_INTERFACE.has(address.address)) {
    return {
      line: `listening on port ${address.port}, every interface (http://localhost:${address.port})`,
      localUrl: `http://127.0.0.1:${address.port}`,
    };
  }
  const url = `http://${hostInUrl(address.address)}:${address.port}`;
  return { line: `listening on ${url}`, localUrl: url };
}
