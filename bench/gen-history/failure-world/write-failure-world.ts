/**
 * The planted failure world as gptme files (for `lessonloop import results`, `import lessons` and
 * `drafts detect`):
 * - `eval_results/<run>/eval_results.csv`: one run a day holding every model, each row's `Log Dir` as gptme
 *   writes it on the eval machine (`/home/agent/.local/share/gptme/logs/<run>/<model>/<test>`); infra rows fail
 *   in under 5 s with no tokens, as the importer's rule flags them;
 * - `logs/<run>/<model>/<test>/conversation.jsonl`: the conversation of each outcome that keeps a log;
 * - `lessons/planted/<pattern>.md`: the active lessons planted with the covered patterns;
 * - `ground-truth.json`: every planted pattern, and `shouldDraft`, the uncovered ones.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { plantFailureWorld, simulateDay, type FailureWorldTruth } from './simulate-failures.js';
import type { FailureWorldConfig } from './world-config.js';

export const FAILURE_WORLD_LOG_PREFIX = '/home/agent/.local/share/gptme/logs';
const HEADER = 'Model,Test,Passed,Total Duration,Generation Time,Run Time,Eval Time,Commit Hash,Log Dir,Workspace Dir';
const jsonLine = (o: object) => `${JSON.stringify(o)}\n`;

export interface FailureWorldFiles {
  resultsDir: string;
  logRoot: string;
  lessonsDir: string;
  runs: number;
  rows: number;
  logs: number;
  truth: FailureWorldTruth;
}

export async function writeFailureWorld(config: FailureWorldConfig, out: string): Promise<FailureWorldFiles> {
  const truth = plantFailureWorld(config);
  const files: FailureWorldFiles = { resultsDir: path.join(out, 'eval_results'), logRoot: path.join(out, 'logs'), lessonsDir: path.join(out, 'lessons'), runs: 0, rows: 0, logs: 0, truth };
  await mkdir(path.join(files.lessonsDir, 'planted'), { recursive: true });
  for (const p of truth.patterns.filter((x) => x.lessonOf === x.id)) {
    const text = `---\nmatch:\n  keywords: [${JSON.stringify(p.lessonKeyword)}]\nstatus: active\n---\n\n# Avoid ${p.topic}\n\nWhen ${p.lessonKeyword} shows up, fix its cause.\n`;
    await writeFile(path.join(files.lessonsDir, 'planted', `${p.id}.md`), text);
  }
  for (let day = 0; day < config.days; day++) {
    const world = simulateDay(config, truth, day);
    const rows = [HEADER];
    for (const o of world.outcomes) {
      const logDir = `${FAILURE_WORLD_LOG_PREFIX}/${o.logDir ?? `${o.runId}/${o.model.replace('/', '--')}/${o.test}`}`;
      const total = o.suspectedInfraError ? 1.5 : 60;
      rows.push([o.model, o.test, String(o.passed), total, total - 1, 0.5, 0.5, 'v0.0.0-planted', logDir, `${logDir}/workspace`].join(','));
      if (o.logDir !== null && o.messages !== null) {
        const dir = path.join(files.logRoot, ...o.logDir.split('/'));
        await mkdir(dir, { recursive: true });
        await writeFile(path.join(dir, 'conversation.jsonl'), o.messages.map((m, i) => jsonLine({ role: m.role, content: m.content, timestamp: `${o.occurredAt.slice(0, 19)}.${String(i).padStart(3, '0')}` })).join(''));
        files.logs += 1;
      }
    }
    await mkdir(path.join(files.resultsDir, world.runId), { recursive: true });
    await writeFile(path.join(files.resultsDir, world.runId, 'eval_results.csv'), `${rows.join('\n')}\n`);
    files.runs += 1;
    files.rows += rows.length - 1;
  }
  const shouldDraft = truth.patterns.filter((p) => !p.covered).map((p) => p.id);
  await writeFile(path.join(out, 'ground-truth.json'), `${JSON.stringify({ config, shouldDraft, patterns: truth.patterns, flakyTests: truth.flakyTests, outage: truth.outage }, null, 2)}\n`);
  return files;
}
