/**
 * The planted sessions world as a gptme team would have it on disk (for `lessonloop exposure import`):
 * - `lessons/world/<lessonId>.md`: one lesson file each, matched by one keyword of its own (`kw-<lessonId>`);
 * - `eval_results/<YYYYMMDD_HHMMSSZ>/eval_results.csv`: one run folder per 100 sessions, with each outcome's
 *   `Log Dir` as gptme writes it on the machine that ran the evals (`/home/agent/.local/share/gptme/logs/...`);
 * - `logs/<log dir name>/conversation.jsonl`: the system prompt, the task (naming the keyword of every lesson the
 *   selection had as a candidate), then, when lessons were injected, one hidden `# Relevant Lessons` system
 *   message naming each as `*Path: /home/agent/lessons/world/<lessonId>.md*`, then the answer;
 * - with `manifest`, `lessons.jsonl` beside each eval_results.csv: the world's own exposure, coin included.
 * Every `runHoldoutEvery`-th run is written as a run without lessons: its logs inject nothing (its outcomes stay
 * as the world drew them, so such files serve the exposure derivation, not effect estimates).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LessonExposureRecordedData } from '../../../contracts/exposure.js';
import { runFolderName } from '../../../src/ingest/gptme/run-folder.js';
import type { SessionsWorld } from './simulate-sessions.js';

export const WORLD_LOG_PREFIX = '/home/agent/.local/share/gptme/logs';
export const WORLD_LESSONS_PREFIX = '/home/agent/lessons';
const HEADER = 'Model,Test,Passed,Total Duration,Generation Time,Run Time,Eval Time,Commit Hash,Log Dir,Workspace Dir';
const START = Date.parse('2026-03-01T00:00:00Z');

export const worldLessonPath = (lessonId: string) => `world/${lessonId}.md`;
export const worldKeyword = (lessonId: string) => `kw-${lessonId}`;

export interface GptmeWorldOptions {
  runHoldoutEvery?: number;
  manifest?: boolean;
}

export interface GptmeWorldFiles {
  resultsDir: string;
  logRoot: string;
  lessonsDir: string;
  runs: number;
  rows: number;
  /** Run folders written without lessons. */
  runHoldoutRuns: string[];
}

const jsonLine = (o: object) => `${JSON.stringify(o)}\n`;

function conversation(data: LessonExposureRecordedData, lessonsOff: boolean, at: Date): string {
  const candidates = [...data.injected, ...data.withheld].map((r) => r.lessonId!);
  const ts = (seconds: number) => new Date(at.getTime() + seconds * 1000).toISOString().slice(0, -1);
  let text = jsonLine({ role: 'system', content: 'You are gptme, a general-purpose AI assistant.', timestamp: ts(0), pinned: true });
  text += jsonLine({ role: 'user', content: `Solve ${data.outcome.test} (${data.category}). Notes: ${candidates.map(worldKeyword).join(' ')}`, timestamp: ts(1) });
  if (!lessonsOff && data.injected.length > 0) {
    const parts = data.injected.map((r) => `\n## Lesson ${r.lessonId}\n\n*Path: ${WORLD_LESSONS_PREFIX}/${worldLessonPath(r.lessonId!)}*\n\n*Category: world*\n\n*Matched by: keyword:${worldKeyword(r.lessonId!)}*\n\nDo it well.\n`);
    text += jsonLine({ role: 'system', content: `# Relevant Lessons\n${parts.join('')}`, timestamp: ts(1), hide: true });
  }
  text += jsonLine({ role: 'assistant', content: data.outcome.passed ? 'Done, the checks pass.' : 'I could not finish.', timestamp: ts(30) });
  return text;
}

export async function writeGptmeWorld(world: SessionsWorld, out: string, options: GptmeWorldOptions = {}): Promise<GptmeWorldFiles> {
  const files: GptmeWorldFiles = { resultsDir: path.join(out, 'eval_results'), logRoot: path.join(out, 'logs'), lessonsDir: path.join(out, 'lessons'), runs: 0, rows: 0, runHoldoutRuns: [] };
  await mkdir(path.join(files.lessonsDir, 'world'), { recursive: true });
  for (const lesson of world.truth) {
    const text = `---\nmatch:\n  keywords: ["${worldKeyword(lesson.lessonId)}"]\nstatus: active\n---\n\n# Lesson ${lesson.lessonId}\n\nDo it well.\n`;
    await writeFile(path.join(files.lessonsDir, worldLessonPath(lesson.lessonId)), text);
  }
  const byRun = new Map<string, { data: LessonExposureRecordedData; at: Date }[]>();
  for (const event of world.events) {
    const data = event.data as LessonExposureRecordedData;
    const list = byRun.get(data.outcome.runId) ?? [];
    list.push({ data, at: new Date(event.metadata.occurredAt) });
    byRun.set(data.outcome.runId, list);
  }
  let index = 0;
  for (const [runId, sessions] of byRun) {
    const folder = runFolderName(new Date(START + Number(runId.replace('run-', '')) * 3_600_000));
    const lessonsOff = options.runHoldoutEvery !== undefined && options.runHoldoutEvery > 0 && index % options.runHoldoutEvery === options.runHoldoutEvery - 1;
    index += 1;
    if (lessonsOff) files.runHoldoutRuns.push(folder);
    const rows = [HEADER];
    const manifest: string[] = [];
    for (const { data, at } of sessions) {
      const name = `${at.toISOString().slice(0, 10)}-gptme-evals-${data.outcome.model}-${data.outcome.test}`;
      const logDir = `${WORLD_LOG_PREFIX}/${name}`;
      rows.push([data.outcome.model, data.outcome.test, String(data.outcome.passed), '60', '50', '5', '5', '', logDir, `${logDir}/workspace`].join(','));
      await mkdir(path.join(files.logRoot, name), { recursive: true });
      await writeFile(path.join(files.logRoot, name, 'conversation.jsonl'), conversation(data, lessonsOff, at));
      const byPath = <R extends { lessonId?: string | undefined }>({ lessonId, ...rest }: R) => ({ path: worldLessonPath(lessonId!), ...rest });
      manifest.push(jsonLine({ model: data.outcome.model, test: data.outcome.test, category: data.category, injected: data.injected.map(byPath), withheld: data.withheld.map(byPath) }).trimEnd());
    }
    await mkdir(path.join(files.resultsDir, folder), { recursive: true });
    await writeFile(path.join(files.resultsDir, folder, 'eval_results.csv'), `${rows.join('\n')}\n`);
    if (options.manifest) await writeFile(path.join(files.resultsDir, folder, 'lessons.jsonl'), `${manifest.join('\n')}\n`);
    files.runs += 1;
    files.rows += sessions.length;
  }
  return files;
}
