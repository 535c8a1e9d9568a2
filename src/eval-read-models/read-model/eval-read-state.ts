/**
 * What the eval readers share: where each projection instance is (looked up at most once per STATE_TTL_MS) and
 * one cache of answers keyed by the instance's version.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { currentInstanceState, type InstanceState } from './instance-state.js';
import { VersionedCache } from './versioned-cache.js';

/** How long a looked-up instance position is reused before asking the database again. */
export const STATE_TTL_MS = 250;

export class ProjectionNotReadyError extends Error {
  constructor(
    readonly projection: string,
    /** The command that builds the missing instance, when there is one to name. */
    readonly build?: string,
  ) {
    super(
      `The ${projection} read model has no current instance yet (` +
        (build ? `build it with \`${build}\`` : 'the projection engine has not built it') +
        ')',
    );
    this.name = 'ProjectionNotReadyError';
  }
}

@Injectable()
export class EvalReadState {
  readonly cache = new VersionedCache();
  private readonly states = new Map<string, { at: number; state: Promise<InstanceState | null> }>();

  constructor(@InjectDataSource() readonly dataSource: DataSource) {}

  /**
   * Where an instance is, looked up at most once per STATE_TTL_MS per projection: under load, answers come
   * from memory without a database round trip, and are at most that much staler than the read model.
   * `build`: the command named in the 503 when the instance does not exist.
   */
  async state(name: string, ruleSet?: string | null, build?: string): Promise<InstanceState> {
    const key = `${name}\u0000${ruleSet ?? ''}`;
    const now = Date.now();
    let entry = this.states.get(key);
    if (!entry || now - entry.at > STATE_TTL_MS) {
      entry = { at: now, state: currentInstanceState(this.dataSource, name, ruleSet) };
      this.states.set(key, entry);
      entry.state.catch(() => this.states.delete(key));
    }
    const state = await entry.state;
    if (!state) {
      this.states.delete(key);
      throw new ProjectionNotReadyError(ruleSet ? `${name} (rule set ${ruleSet})` : name, build);
    }
    return state;
  }

  /** The documents of one kind (the first element of their key) in an instance's table. */
  async docs<T>(table: string, instanceId: string, kind: string): Promise<T[]> {
    const rows = (await this.dataSource.query(`SELECT doc FROM ${table} WHERE instance_id = $1 AND doc_key LIKE $2`, [
      instanceId,
      `["${kind}"%`,
    ])) as { doc: T }[];
    return rows.map((r) => r.doc);
  }
}
