/** `lessonloop reanalyze` through the application context on a test app holding a small planted world. */
import { jest } from '@jest/globals';
import { appendWorld } from '../../bench/reanalyze/append-world.js';
import { plantedWorld } from '../../bench/reanalyze/planted-world.js';
import { parseHours, register } from '../../src/cli/commands/reanalyze.command.js';
import { runCommandOnApp } from '../support/cli-command.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { waitUntilReadable } from './wait-readable.js';

jest.setTimeout(120_000);

const world = plantedWorld({
  seed: 5,
  models: 2,
  testsPerLesson: 2,
  controlTests: 2,
  flakyTests: 0,
  runEveryHours: 8,
  slotGapHours: 150,
  slots: [
    { action: 'create', lesson: 0, effect: 0.3 },
    // A harness commit on both models' runs 43.5 h later: isolated at 24 h, confounded at 48 h.
    { action: 'create', lesson: 1, effect: 0.3, harnessBumpAt: 40 },
  ],
  windows: [24, 48],
});
const flipping = world.truth.lessonChanges[1]!;

describe('lessonloop reanalyze (CLI)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { LESSONLOOP_RUN_PROJECTIONS: 'never' } });
    await appendWorld(t.store, world.events);
    await waitUntilReadable(t.sql, t.store);
  });
  afterAll(async () => t?.close());

  const run = (...args: string[]) => runCommandOnApp([register], t.app, args);

  it('--confound-window 48h defines a rule set, builds its projections with progress and summarises the experiments', async () => {
    const out = await run('reanalyze', '--confound-window', '48h', '--name', 'wider', '--rule-set-id', 'wider-48');
    expect(out).toContain('Defined rule set wider-48 {"confoundWindowHours":48}');
    expect(out).toContain('nothing to rebuild from the events');
    expect(out).toContain('Experiments under wider-48: {"isolated":1,"confounded":1}');
    await expect(run('reanalyze', '--confound-window', '72h', '--rule-set-id', 'wider-48')).rejects.toThrow(/already defined/);
    const withTrends = await run('reanalyze', '--confound-window', '48h', '--param', 'window=10', '--rule-set-id', 'wider-trends');
    expect(withTrends).toMatch(/building: trends .*\nbuilding: trends live/);
    expect(withTrends).not.toContain('outcome-counts');
  });

  it('--compare default wider-48 names the change that switched and the confounder that entered', async () => {
    const out = await run('reanalyze', '--compare', 'default', 'wider-48');
    expect(out.split('\n')[0]).toBe('default -> wider-48: {"experiments":2,"statusChanged":1,"signChanged":0,"significanceChanged":0,"modelsChanged":1,"lifecycleDiffers":0,"trendLabelsDiffer":0,"effectsDiffer":0}');
    expect(out).toContain(`${flipping.changeId}: isolated -> confounded; confounder entered: harness-commit sim/model-a0`);
    expect(out).toContain('model sim/model-b0: isolated -> confounded (confounded by harness-commit sim/model-b0');
    const json = JSON.parse(await run('reanalyze', '--compare', 'default', 'wider-48', '--json'));
    expect(json.differences.map((d: { changeId: string }) => d.changeId)).toEqual([flipping.changeId]);
  });

  it('durations and usage errors', async () => {
    expect(parseHours('2d')).toBe(48);
    expect(parseHours('36')).toBe(36);
    expect(() => parseHours('soon')).toThrow(/Not a duration/);
    await expect(run('reanalyze')).rejects.toThrow(/at least one rule parameter/);
    await expect(run('reanalyze', '--compare', 'default')).rejects.toThrow(/two rule set ids/);
  });
});
