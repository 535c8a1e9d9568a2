/**
 * The planted world as real files (`gen:history --planted`): gptme run folders, a lessons git repository,
 * external changes and ground-truth.json, imported through the real paths (`import results`,
 * `import lessons --git`, POST /external-changes) and analysed over HTTP against the ground truth.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { jest } from '@jest/globals';
import { Command } from 'commander';
import request from 'supertest';
import { DEFAULT_PLANTED_WORLD } from '../../bench/gen-history/planted-defaults.js';
import { parseHistoryArgs } from '../../bench/gen-history/history-args.js';
import { changeLabel, writePlantedWorld, type FileGroundTruth, type FileTruthChange } from '../../bench/gen-history/write-planted-world.js';
import { register as registerImportLessons } from '../../src/cli/commands/import-lessons.command.js';
import { register as registerImportResults } from '../../src/cli/commands/import-results.command.js';
import { catchUpExperimentInputs } from '../../src/experiments/experiment-inputs.js';
import { API_TOKENS, WRITE_AUTH } from '../ingest-http/http-test-support.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { waitUntilReadable } from './wait-readable.js';

jest.setTimeout(180_000);

/** Effects at least this large (in pass probability) must have their sign recovered. */
const STATED_EFFECT_SIZE = 0.25;

interface ModelStatus {
  status: string;
}
interface ExperimentBody {
  changeId: string;
  lessonId: string;
  at: string;
  status: string;
  confounders: { kind: string; subject: string; at: string }[];
  models: Record<string, ModelStatus>;
  cleanModels?: string[];
  overall?: { effect: number; significant: boolean };
}
interface DifferenceBody {
  lessonId: string;
  at: string;
  statusChanged: boolean;
  models: { model: string }[];
}

const key = (c: { lessonId: string; at: string }) => `${c.lessonId} ${c.at}`;
const confoundedModels = (e: ExperimentBody) => Object.entries(e.models).filter(([, m]) => m.status === 'confounded').map(([name]) => name).sort();

describe('planted world as files, imported through the real paths', () => {
  let t: TestApp;
  let dir: string;
  let truth: FileGroundTruth;
  let imported: string;
  const analysed = new Map<string, ExperimentBody>();

  async function cli(registerCommand: typeof registerImportResults, ...args: string[]): Promise<string> {
    let out = '';
    const stdout = { isTTY: false, write: (text: string) => ((out += text), true) } as unknown as NodeJS.WriteStream;
    const program = new Command('lessonloop').exitOverride();
    registerCommand(program, { stdout, withContext: <T>(fn: (app: TestApp['app']) => Promise<T>) => fn(t.app) });
    await program.parseAsync(['node', 'lessonloop', ...args]);
    return out;
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'planted-files-'));
    await writePlantedWorld(DEFAULT_PLANTED_WORLD, dir);
    truth = JSON.parse(await readFile(path.join(dir, 'ground-truth.json'), 'utf8')) as FileGroundTruth;
    t = await createTestApp({ env: { LESSONLOOP_API_TOKENS: API_TOKENS, LESSONLOOP_RUN_PROJECTIONS: 'never' } });
    imported = await cli(registerImportResults, 'import', 'results', path.join(dir, 'eval_results'));
    imported += await cli(registerImportLessons as typeof registerImportResults, 'import', 'lessons', path.join(dir, 'lessons'), '--git');
    const external = JSON.parse(await readFile(path.join(dir, 'external-changes.json'), 'utf8')) as object[];
    for (const body of external) await request(t.http).post('/external-changes').set('Authorization', WRITE_AUTH).send(body).expect(201);
    await waitUntilReadable(t.sql, t.store);
    await catchUpExperimentInputs(t.sql, t.store);
    await request(t.http).post('/rule-sets').set('Authorization', WRITE_AUTH).send({ ruleSetId: 'wide-72', name: 'wide', parameters: { confoundWindowHours: 72 } }).expect(201);
    const res = await request(t.http).get('/experiments').query({ limit: 500 }).expect(200);
    for (const e of res.body.items as ExperimentBody[]) analysed.set(key(e), e);
  });
  afterAll(async () => {
    await t?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('imports every run folder, every lesson commit with its commit time, every external change', () => {
    const runs = (truth.options.slots.length + 1) * truth.options.slotGapHours / truth.options.runEveryHours;
    expect(imported).toContain(`${runs} runs new, 0 already recorded, 0 rejected`);
    expect(imported).toMatch(/in 10 commit\(s\): 8 created, 2 changed, .*0 rejected/);
    expect(truth.lessonChanges).toHaveLength(10);
    // Lesson changes happen at the commit times: each planted change is found at its planted time.
    expect([...analysed.keys()].sort()).toEqual(truth.lessonChanges.map(key).sort());
  });

  it('marks each planted change isolated or confounded as the ground truth says, per model, with the right confounders (24 h)', () => {
    const check = (c: FileTruthChange) => {
      const e = analysed.get(key(c))!;
      return { change: key(c), status: e.status, confounders: e.confounders.map(changeLabel).sort(), models: confoundedModels(e) };
    };
    expect(truth.lessonChanges.map(check)).toEqual(
      truth.lessonChanges.map((c) => ({ change: key(c), status: c.statusWithin['24'], confounders: c.confoundersWithin['24'], models: c.confoundedModelsWithin['24'] })),
    );
    const confounded = truth.lessonChanges.filter((c) => c.statusWithin['24'] === 'confounded');
    const kinds = new Set(confounded.flatMap((c) => analysed.get(key(c))!.confounders.map((x) => x.kind)));
    expect([...kinds].sort()).toEqual(['harness-commit', 'lesson-created', 'model-api']);
    // The third change: the generator put a model-API change of model b0 6 h after it. Confounded by exactly
    // that change (kind, model, time), with the estimate over the two clean models kept.
    const third = truth.lessonChanges[2]!;
    const apiAt = new Date(Date.parse(third.at) + 6 * 3_600_000).toISOString();
    expect(third.confoundersWithin['24']).toEqual([`model-api sim/model-b0 ${apiAt}`]);
    const partly = analysed.get(key(third))!;
    expect({ status: partly.status, confounders: partly.confounders.map(changeLabel), clean: partly.cleanModels, sign: Math.sign(partly.overall!.effect) })
      .toEqual({ status: 'confounded', confounders: [`model-api sim/model-b0 ${apiAt}`], clean: ['sim/model-a0', 'sim/model-c0'], sign: 1 });
  });

  it(`recovers the sign of every isolated true effect of at least ${STATED_EFFECT_SIZE}, significantly`, () => {
    const checked = truth.lessonChanges.filter((c) => c.statusWithin['24'] === 'isolated' && Math.abs(c.trueEffect) >= STATED_EFFECT_SIZE);
    expect(checked.length).toBeGreaterThanOrEqual(5);
    expect(checked.map((c) => ({ change: key(c), sign: Math.sign(analysed.get(key(c))!.overall!.effect), significant: analysed.get(key(c))!.overall!.significant })))
      .toEqual(checked.map((c) => ({ change: key(c), sign: Math.sign(c.trueEffect), significant: true })));
  });

  it('24 h -> 72 h flips exactly the statuses and the confounded models the ground truth lists', async () => {
    const res = await request(t.http).get('/analyses/compare').query({ a: 'default', b: 'wide-72', limit: 500 }).expect(200);
    const differences = res.body.items as DifferenceBody[];
    const expectedFlips = truth.lessonChanges.filter((c) => c.statusWithin['24'] !== c.statusWithin['72']).map(key).sort();
    expect(expectedFlips.length).toBeGreaterThanOrEqual(3);
    expect(differences.filter((d) => d.statusChanged).map(key).sort()).toEqual(expectedFlips);
    const expectedModelFlips = truth.lessonChanges
      .flatMap((c) => c.confoundedModelsWithin['72']!.filter((m) => !c.confoundedModelsWithin['24']!.includes(m)).map((m) => `${key(c)} ${m}`))
      .sort();
    expect(differences.flatMap((d) => d.models.map((m) => `${key(d)} ${m.model}`)).sort()).toEqual(expectedModelFlips);
  });
});

describe('gen:history --planted', () => {
  it('takes --out and --seed and refuses the shape flags of a synthetic history', () => {
    expect(parseHistoryArgs(['--planted', '--out', 'w', '--seed', '4'])).toEqual({ planted: true, out: 'w', seed: 4 });
    expect(parseHistoryArgs(['--planted', '--out', 'w'])).toEqual({ planted: true, out: 'w', seed: DEFAULT_PLANTED_WORLD.seed });
    expect(() => parseHistoryArgs(['--planted', '--out', 'w', '--models', '3'])).toThrow('--planted has its own shape; --models does not apply');
    expect(parseHistoryArgs(['--out', 'h', '--models', '3'])).toMatchObject({ planted: false, history: { out: 'h', models: 3 } });
  });

  it('writes the same files for the same seed: ground truth, external changes and the lesson commits', async () => {
    const dirs = [await mkdtemp(path.join(tmpdir(), 'planted-a-')), await mkdtemp(path.join(tmpdir(), 'planted-b-'))];
    try {
      for (const d of dirs) await writePlantedWorld(DEFAULT_PLANTED_WORLD, d);
      const read = (d: string, file: string) => readFile(path.join(d, file), 'utf8');
      const head = async (d: string) => (await promisify(execFile)('git', ['-C', path.join(d, 'lessons'), 'rev-parse', 'HEAD'])).stdout.trim();
      expect(await read(dirs[1]!, 'ground-truth.json')).toBe(await read(dirs[0]!, 'ground-truth.json'));
      expect(await read(dirs[1]!, 'external-changes.json')).toBe(await read(dirs[0]!, 'external-changes.json'));
      expect(await head(dirs[1]!)).toBe(await head(dirs[0]!));
    } finally {
      for (const d of dirs) await rm(d, { recursive: true, force: true });
    }
  });
});
