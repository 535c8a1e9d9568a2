import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** CI's PostgreSQL pass runs only what scripts/store-backed-specs.mjs lists: it must not drop a store test. */
const listed = execFileSync(process.execPath, ['scripts/store-backed-specs.mjs'], { encoding: 'utf8' })
  .split('\n')
  .filter(Boolean);

function specs(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? specs(full) : name.endsWith('.spec.ts') ? [full] : [];
  });
}

describe('the store-backed spec list of CI’s PostgreSQL pass', () => {
  it('holds every spec that opens a store itself, and specs that open one through test support', () => {
    const direct = specs('test').filter((f) => /openTestDatabase|DATABASE_URL|support\/test-app\.js/.test(readFileSync(f, 'utf8')));
    expect(direct.length).toBeGreaterThan(10);
    expect(direct.filter((f) => !f.endsWith('.browser.spec.ts') && !listed.includes(f))).toEqual([]);
    expect(listed).toEqual(expect.arrayContaining(['test/lessons/lessons.e2e.spec.ts', 'test/app/cli.spec.ts']));
  });

  it('leaves out pure specs and browser specs, which ran in the first pass', () => {
    expect(listed).not.toContain('test/stats/false-discovery.spec.ts');
    expect(listed).not.toContain('test/projection-engine/outcome-counts.spec.ts');
    expect(listed.filter((f) => f.endsWith('.browser.spec.ts'))).toEqual([]);
  });
});
