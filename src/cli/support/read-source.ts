/**
 * Where a read command's answers come from: the store opened in this process (brought up to date first,
 * unless --no-catch-up), or a running server's HTTP API (src/cli/transport/). A command describes each read
 * once, as the endpoint and its raw query parameters plus the in-process query taking the same parameters,
 * so both paths answer the same thing.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { Command } from 'commander';
import type { InstanceStatus } from '../../projection-engine/status/status.js';
import { ServerClient } from '../transport/server-client.js';
import { serverTarget } from '../transport/server-target.js';
import { upToDate, type ReadModelCommandDeps } from './read-model-options.js';

export type RawParams = Record<string, string>;

export interface ReadSource {
  /** Where the answers come from, for messages: a server URL or undefined for this process. */
  readonly server: string | undefined;
  run<R>(route: string, raw: RawParams, local: (app: INestApplicationContext, raw: RawParams) => Promise<R>): Promise<R>;
}

export interface CatchUp {
  enabled: boolean;
  /** The eval read models to wait for (default all three) and the trends rule set. */
  projections?: readonly string[];
  trendsRuleSet?: string;
}

const EVAL_READ_MODELS = ['leaderboard', 'trends', 'test-history'];

export async function withReadSource<T>(command: Command, deps: ReadModelCommandDeps, catchUp: CatchUp, fn: (source: ReadSource) => Promise<T>): Promise<T> {
  const server = await serverTarget(command);
  if (server) {
    const client = new ServerClient(server);
    if (catchUp.enabled) await serverCaughtUp(client, catchUp.projections ?? EVAL_READ_MODELS);
    return fn({ server, run: (route, raw) => client.get(route, raw) });
  }
  return deps.withContext(async (app) => {
    await upToDate(app, catchUp.enabled, catchUp.trendsRuleSet);
    return fn({ server: undefined, run: (_route, raw, local) => local(app, raw) });
  });
}

/**
 * Waits (up to `timeoutMs`) until the server's current instances of these projections have no events left to
 * apply, so a read right after a write through the same server sees it, as the in-process catch-up does.
 */
export async function serverCaughtUp(client: ServerClient, names: readonly string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { instances } = await client.get<{ instances: InstanceStatus[] }>('/projections');
    const behind = instances.filter((s) => s.current && names.includes(s.name) && s.state !== 'failed' && (s.lag === null || s.lag.events > 0));
    if (behind.length === 0 || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
