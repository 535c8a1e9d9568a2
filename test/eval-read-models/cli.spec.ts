/**
 * `lessonloop leaderboard` and `lessonloop trends` through the whole application context on a test app
 * (the eval-mini fixture; expected values as worked out in eval-read-models.e2e.spec.ts).
 */
import path from 'node:path';
import { register as registerLeaderboard } from '../../src/cli/commands/leaderboard.command.js';
import { register as registerTrends } from '../../src/cli/commands/trends.command.js';
import { withCatalogue } from '../../src/event-store/catalogue-event-store.js';
import { importResults } from '../../src/ingest/import-results.js';
import { runCommandOnApp } from '../support/cli-command.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const FIXTURE = path.resolve(process.cwd(), 'test/fixtures/eval-mini');

describe('lessonloop leaderboard / trends (CLI)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { LESSONLOOP_RUN_PROJECTIONS: 'never' } });
    await importResults(withCatalogue(t.store), FIXTURE);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  const run = (...args: string[]) => runCommandOnApp([registerLeaderboard, registerTrends], t.app, args);

  it('leaderboard --mode gptme --format json: gptme rows, projected first', async () => {
    const rows = JSON.parse(await run('leaderboard', '--mode', 'gptme', '--format', 'json'));
    expect(rows.map((r: { model: string; format: string; total_passed: number }) => [r.model, r.format, r.total_passed])).toEqual([
      ['x/glm', 'z-ai', 3],
      ['m/a', 'tool', 2],
      ['m/c', 'default', 2],
    ]);
  }, 60_000);

  it('leaderboard --mode gptme --format csv and table', async () => {
    const csv = await run('leaderboard', '--mode', 'gptme', '--format', 'csv', '--no-catch-up');
    expect(csv.split('\n').slice(0, 2)).toEqual(['Model,Format,Passed,Total,Pass Rate,Score', 'x/glm,z-ai,3,4,75.0%,0.500']);
    const table = await run('leaderboard', '--mode', 'gptme', '--no-catch-up');
    expect(table).toContain('m/c    default  2/4 (50%)');
  });

  it('trends --rules gptme --format json and table; --diff', async () => {
    const report = JSON.parse(await run('trends', '--rules', 'gptme', '--format', 'json'));
    expect(report.regressions.map((e: { model: string }) => e.model)).toEqual(['m/c']);
    expect(report.flaky).toHaveLength(3);
    const table = await run('trends', '--rules', 'gptme', '--no-catch-up');
    expect(table).toContain('## Regressions (was passing, now failing)');
    expect(table).toContain('  Flaky:        3');
    const diff = await run('trends', '--rules', 'gptme', '--diff', '--no-catch-up');
    expect(diff).toContain('## m/a@tool\n  Comparing: 20260103_000000Z → 20260104_000000Z\n  - Lost (1):\n    - t4');
  }, 60_000);

  it('trends --pooled: the model and test pools as a table or JSON; --pooled under --rules gptme is a usage error', async () => {
    // The fixture's four runs fill no baseline under the default window (recent 5): no series has a p, no pool a stratum.
    expect(JSON.parse(await run('trends', '--pooled', '--format', 'json'))).toEqual([]);
    const tests = JSON.parse(await run('trends', '--pooled', 'test', '--format', 'json', '--no-catch-up'));
    expect(tests.every((p: { pool: string }) => p.pool === 'test')).toBe(true);
    expect(await run('trends', '--pooled', '--no-catch-up')).toMatch(/^Pool +Model +Format +Test +Strata/);
    await expect(run('trends', '--pooled', '--rules', 'gptme')).rejects.toMatchObject({ exitCode: 2 });
  }, 60_000);

  it('refuses an unknown output format as a usage error', async () => {
    await expect(run('trends', '--format', 'xml')).rejects.toMatchObject({ exitCode: 2 });
  });
});
