import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_HISTORY, writeHistory, type HistoryOptions } from '../gen-history/write-history.js';

export type HistoryShape = Pick<HistoryOptions, 'models' | 'tests' | 'days' | 'seed'>;

const MARKER = '.complete';

/**
 * The generated history for a shape, written once under the temp directory and reused by later runs (the
 * generator is deterministic, so the same shape and seed always give the same files). A marker file says the
 * tree was written to the end.
 */
export async function generatedHistory(shape: HistoryShape): Promise<{ dir: string; generatedSeconds: number | null }> {
  const dir = path.join(os.tmpdir(), `lessonloop-history-${shape.models}x${shape.tests}x${shape.days}-seed${shape.seed}`);
  if (existsSync(path.join(dir, MARKER))) return { dir, generatedSeconds: null };
  await rm(dir, { recursive: true, force: true });
  const started = Date.now();
  const summary = await writeHistory({ ...DEFAULT_HISTORY, ...shape, out: dir });
  await writeFile(path.join(dir, MARKER), JSON.stringify(summary));
  return { dir, generatedSeconds: (Date.now() - started) / 1000 };
}
