import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_HISTORY, writeHistory } from '../../bench/gen-history/write-history.js';
import { buildEvalRunEvents } from '../../src/ingest/eval-run-events.js';
import { readRunFolder } from '../../src/ingest/gptme/read-run-folder.js';
import type { TestOutcomeRecordedData } from '../../contracts/eval.js';

describe('the history generator (bench/gen-history)', () => {
  let tmp: string;
  const options = (out: string, seed = 7) => ({ ...DEFAULT_HISTORY, models: 10, tests: 9, days: 30, modelsPerRun: 4, seed, out });

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'lessonloop-gen-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('writes models x tests x days rows in ceil(models / modelsPerRun) runs a day, all importable', async () => {
    const out = path.join(tmp, 'a');
    const summary = await writeHistory(options(out));
    expect(summary).toMatchObject({ runs: 3 * 30, rows: 10 * 9 * 30 });
    const folders = (await readdir(out)).sort();
    expect(folders).toHaveLength(90);
    const outcomes: TestOutcomeRecordedData[] = [];
    for (const folder of folders) {
      const run = await readRunFolder(path.join(out, folder));
      outcomes.push(...buildEvalRunEvents(run).events.slice(1).map((e) => e.data as TestOutcomeRecordedData));
    }
    expect(outcomes).toHaveLength(2700);
    expect(new Set(outcomes.map((o) => o.model)).size).toBe(10);
    expect(new Set(outcomes.map((o) => o.test)).size).toBe(9);
    const passRate = outcomes.filter((o) => o.passed).length / outcomes.length;
    expect(passRate).toBeGreaterThan(0.3);
    expect(passRate).toBeLessThan(0.9);
    // Occasional provider errors: present, but rare.
    const infra = outcomes.filter((o) => o.suspectedInfraError).length / outcomes.length;
    expect(infra).toBeGreaterThan(0);
    expect(infra).toBeLessThan(0.1);
    expect(outcomes.every((o) => o.tokens !== undefined && o.score !== undefined && o.toolFormat !== null)).toBe(true);
  });

  it('is deterministic for a seed and differs between seeds', async () => {
    await writeHistory(options(path.join(tmp, 'b')));
    await writeHistory(options(path.join(tmp, 'c')));
    await writeHistory(options(path.join(tmp, 'd'), 8));
    const snapshot = async (dir: string) => {
      const folders = (await readdir(dir)).sort();
      return Promise.all(folders.map(async (f) => `${f}\n${await readFile(path.join(dir, f, 'eval_results.csv'), 'utf8')}`));
    };
    const b = await snapshot(path.join(tmp, 'b'));
    expect(await snapshot(path.join(tmp, 'c'))).toEqual(b);
    expect(await snapshot(path.join(tmp, 'd'))).not.toEqual(b);
  });
});
