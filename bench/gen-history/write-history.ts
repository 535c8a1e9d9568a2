import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CURRENT_EVAL_RESULTS_HEADER } from '../../src/ingest/gptme/headers.js';
import { runFolderName } from '../../src/ingest/gptme/run-folder.js';
import { simulatedModels, simulatedTests, type SimModel } from './catalog.js';
import { forkRandom } from './random.js';
import { simulateOutcome } from './simulate.js';

export interface HistoryOptions {
  models: number;
  tests: number;
  days: number;
  out: string;
  seed: number;
  /** Models evaluated together in one run (one gptme invocation); a day has ceil(models / modelsPerRun) runs. */
  modelsPerRun: number;
  /** The last simulated day (UTC midnight); fixed by default so a seed alone decides the output. */
  lastDay: Date;
}

export const DEFAULT_HISTORY: Omit<HistoryOptions, 'out'> = {
  models: 40,
  tests: 99,
  days: 365,
  seed: 1,
  modelsPerRun: 8,
  lastDay: new Date('2026-08-31T00:00:00Z'),
};

export interface HistorySummary {
  runs: number;
  rows: number;
  bytes: number;
}

/** Chance that a model's provider is down for a whole run. */
const OUTAGE_RATE = 0.01;
const DAY_MS = 86_400_000;

/**
 * Writes a gptme-format `eval_results/` tree: `<out>/<YYYYMMDD_HHMMSSZ>/eval_results.csv` with the current
 * header, one run per group of models per day, rows ordered by model then test like gptme writes them.
 */
export async function writeHistory(options: HistoryOptions, onRun?: (summary: HistorySummary) => void): Promise<HistorySummary> {
  const models = simulatedModels(options.models, options.seed);
  const tests = simulatedTests(options.tests, options.seed);
  const groups: SimModel[][] = [];
  for (let i = 0; i < models.length; i += options.modelsPerRun) groups.push(models.slice(i, i + options.modelsPerRun));
  const firstDay = options.lastDay.getTime() - (options.days - 1) * DAY_MS;
  const header = CURRENT_EVAL_RESULTS_HEADER.join(',');
  const summary: HistorySummary = { runs: 0, rows: 0, bytes: 0 };
  await mkdir(options.out, { recursive: true });

  for (let day = 0; day < options.days; day++) {
    const harnessCommit = harnessVersion(day);
    for (const [g, group] of groups.entries()) {
      const random = forkRandom(options.seed, 'run', day, g);
      const startedAt = new Date(firstDay + day * DAY_MS + 2 * 3_600_000 + g * 1_500_000 + random.int(0, 600) * 1000);
      const folder = runFolderName(startedAt);
      const date = startedAt.toISOString().slice(0, 10);
      const lines = [header];
      for (const model of group) {
        const conditions = { day, outage: random.chance(OUTAGE_RATE) };
        const slug = `${model.name.replace(/\//g, '--')}-${model.toolFormat}`;
        for (const test of tests) {
          const logDir = `/home/runner/.local/share/gptme/logs/${date}-gptme-evals-${slug}-${random.hex(8)}`;
          const cells = simulateOutcome(model, test, conditions, random);
          lines.push([model.name, model.toolFormat, test.name, ...cells, harnessCommit, logDir, `${logDir}/workspace`].join(','));
        }
      }
      const text = `${lines.join('\n')}\n`;
      await mkdir(path.join(options.out, folder), { recursive: true });
      await writeFile(path.join(options.out, folder, 'eval_results.csv'), text);
      summary.runs++;
      summary.rows += lines.length - 1;
      summary.bytes += Buffer.byteLength(text);
      onRun?.(summary);
    }
  }
  return summary;
}

/** gptme releases every few weeks; CI runs between releases carry `git describe` style versions. */
function harnessVersion(day: number): string {
  const minor = 28 + Math.floor(day / 40);
  const commitsSinceRelease = day % 40;
  return commitsSinceRelease === 0 ? `v0.${minor}.0` : `v0.${minor}.0-${commitsSinceRelease * 3}-g${(0x1a2b3c4 + day * 7919).toString(16)}`;
}
