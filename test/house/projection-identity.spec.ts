/**
 * A data directory written before the house refactor opens and serves without a rebuild: the engine finds
 * each projection's current instance by (name, version, rule set) and reads its rows from the same tables, so
 * every projection registered at ec3c141 (fixtures/projections-at-ec3c141.json, printed from that commit's
 * build) must still be registered with the same name, version, tables and table columns. New projections
 * may be added. A projection listed in REBUILT_SINCE changed on purpose with a higher version: its instance is
 * rebuilt beside the old one on the first start (the old one serves meanwhile); the reason is named there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lifecyclePolicyProjection } from '../../projections/lifecycle/lifecycle-policy.js';
import type { AnyProjection } from '../../projections/machinery/projection.js';
import { REGISTERED_PROJECTIONS } from '../../src/projection-engine/registered-projections.js';
import { tablesOf } from '../../src/projection-engine/schema/read-model-tables.js';

interface Identity {
  name: string;
  version: number;
  tables: string[];
  tableSpecs?: unknown;
}

/** Deliberate version bumps since ec3c141 (a rebuild on the first start), with the commit that made them. */
const REBUILT_SINCE: Record<string, string> = {
  'lifecycle-policy': '2bd152a: v4, the policy document keeps no evidence lists; v5: exposure counts, to decide on effect; v6: open sessions are documents of their own',
};

const BEFORE: Identity[] = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'projections-at-ec3c141.json'), 'utf8'));

function identity(projection: AnyProjection): Identity {
  return {
    name: projection.name,
    version: projection.version,
    tables: tablesOf(projection),
    ...(projection.shape === 'changes' ? { tableSpecs: JSON.parse(JSON.stringify(projection.tables)) } : {}),
  };
}

describe('projection identity across the house refactor', () => {
  const now = new Map([...REGISTERED_PROJECTIONS, lifecyclePolicyProjection].map((p) => [p.name, identity(p)]));

  it('reads the fixture of the projections registered at ec3c141', () => {
    expect(BEFORE.map((p) => p.name)).toEqual(expect.arrayContaining(['outcome-counts', 'trends', 'lifecycle-policy']));
    expect(BEFORE).toHaveLength(13);
  });

  const kept = BEFORE.filter((p) => !(p.name in REBUILT_SINCE));
  it.each(kept.map((p) => [p.name, p] as const))('%s keeps its name, version and tables', (_name, before) => {
    expect(now.get(before.name)).toEqual(before);
  });

  const bumped = BEFORE.filter((p) => p.name in REBUILT_SINCE);
  it.each(bumped.map((p) => [p.name, p] as const))('%s keeps its name and tables under a higher version', (_name, before) => {
    const current = now.get(before.name);
    expect(current).toEqual({ ...before, version: current?.version });
    expect(current!.version).toBeGreaterThan(before.version);
  });
});
