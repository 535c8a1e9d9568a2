/**
 * `npm run gen:history -- --models 40 --tests 99 --days 365 --out <dir> [--seed N] [--models-per-run 8]`
 * writes a realistic gptme `eval_results/` tree (current header). The same arguments give the same files.
 * `npm run gen:history -- --planted --out <dir> [--seed N]` writes the planted-effects world instead: run
 * folders, a lessons git repository, external changes and the ground truth (write-planted-world.ts).
 * `npm run gen:history -- --sessions-gptme --out <dir> [--seed N]` writes the planted sessions world as a gptme
 * team would have it (sessions-world/write-gptme-world.ts), every 10th run without lessons.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseHistoryArgs, type GenHistoryArgs } from './history-args.js';
import { simulateSessionsWorld } from './sessions-world/simulate-sessions.js';
import { DEFAULT_SESSIONS_WORLD } from './sessions-world/world-config.js';
import { writeGptmeWorld } from './sessions-world/write-gptme-world.js';
import { DEFAULT_PLANTED_WORLD } from './planted-defaults.js';
import { writeHistory } from './write-history.js';
import { writePlantedWorld } from './write-planted-world.js';

async function main(): Promise<void> {
  let parsed: GenHistoryArgs;
  try {
    parsed = parseHistoryArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`gen:history: ${(error as Error).message}`);
    process.exitCode = 2;
    return;
  }
  const started = Date.now();
  if (parsed.planted && parsed.sessionsGptme) {
    const world = simulateSessionsWorld({ ...DEFAULT_SESSIONS_WORLD, seed: parsed.seed });
    const files = await writeGptmeWorld(world, parsed.out, { runHoldoutEvery: 10, manifest: true });
    await writeFile(path.join(parsed.out, 'ground-truth.json'), `${JSON.stringify({ config: world.config, truth: world.truth, runHoldoutRuns: files.runHoldoutRuns }, null, 2)}\n`);
    console.log(`wrote the sessions world as gptme files to ${parsed.out}: ${files.runs} run folders (${files.rows} rows, each with its log and manifest line), lessons/, ground-truth.json (seed ${parsed.seed})`);
    return;
  }
  if (parsed.planted) {
    const planted = await writePlantedWorld({ ...DEFAULT_PLANTED_WORLD, seed: parsed.seed }, parsed.out);
    console.log(
      `wrote the planted world to ${parsed.out}: ${planted.runs} run folders (${planted.rows} rows) in eval_results/, ` +
        `${planted.commits} commits in lessons/, ${planted.externalChanges} external changes, ground-truth.json ` +
        `in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${parsed.seed})`,
    );
    return;
  }
  const options = parsed.history;
  const summary = await writeHistory(options);
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `wrote ${summary.runs} runs, ${summary.rows} rows, ${(summary.bytes / 1e6).toFixed(1)} MB to ${options.out} ` +
      `in ${seconds.toFixed(1)} s (models ${options.models}, tests ${options.tests}, days ${options.days}, seed ${options.seed})`,
  );
}

await main();
