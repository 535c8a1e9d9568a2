/**
 * The planted-effects world (`bench/reanalyze/planted-world.ts`) as the files a team would have, to import
 * through the real paths:
 * - `eval_results/<YYYYMMDD_HHMMSSZ>/eval_results.csv`: one gptme run folder per run time, every model in it
 *   (current header; an infra error is a failure in 1 s with no tokens, as gptme writes a provider error);
 * - `lessons/`: a git repository, one commit per lesson change with author and committer dates at the change
 *   time (the history replay takes the commit time as the event time), lesson files in gptme's format;
 * - `external-changes.json`: the model-API changes, each a `POST /external-changes` body;
 * - `ground-truth.json`: every lesson change (by the lesson id the importer gives its file, and time) with its
 *   true effect and, per confound window, its confounders as `<kind> <subject> <at>`, the models they confound
 *   and the expected status.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { LessonCreatedData, LessonEditedData } from '../../contracts/lesson.js';
import type { ExternalChangeObservedData } from '../../contracts/external.js';
import type { TestOutcomeRecordedData } from '../../contracts/eval.js';
import { CURRENT_EVAL_RESULTS_HEADER } from '../../src/ingest/gptme/headers.js';
import { runFolderName } from '../../src/ingest/gptme/run-folder.js';
import { lessonIdForPath } from '../../src/lessons/domain/lesson-ids.js';
import { plantedWorldStream, type GroundTruth, type PlantedEvent, type PlantedWorldOptions } from '../reanalyze/planted-world.js';

const run = promisify(execFile);

export const LESSONS_FOLDER = 'planted';
const TOOL_FORMAT = 'markdown';

export interface PlantedFilesSummary {
  runs: number;
  rows: number;
  commits: number;
  externalChanges: number;
}

/** A lesson change as `ground-truth.json` states it. */
export interface FileTruthChange {
  /** The id `import lessons --git` gives the lesson's file. */
  lessonId: string;
  path: string;
  kind: string;
  at: string;
  trueEffect: number;
  /** A companion lesson: its keyword matches no test (short of data unless every model is confounded). */
  matchesNoTest: boolean;
  /** window hours -> `<kind> <subject> <at>` of each confounder, sorted. */
  confoundersWithin: Record<string, string[]>;
  confoundedModelsWithin: Record<string, string[]>;
  statusWithin: Record<string, string>;
}

export interface FileGroundTruth {
  options: PlantedWorldOptions;
  models: string[];
  outcomes: number;
  tests: GroundTruth['tests'];
  lessonChanges: FileTruthChange[];
  plantedChanges: { kind: string; at: string; subject: string; model?: string }[];
}

export function lessonPath(plantedLessonId: string): string {
  return `${LESSONS_FOLDER}/${plantedLessonId}.md`;
}

/** A confounder as the analysis lists it: kind, subject (lesson id or model) and time. */
export function changeLabel(change: { kind: string; subject: string; at: string }): string {
  return `${change.kind} ${change.subject} ${change.at}`;
}

export async function writePlantedWorld(options: PlantedWorldOptions, out: string): Promise<PlantedFilesSummary> {
  const { events, truth } = plantedWorldStream(options);
  const results = path.join(out, 'eval_results');
  const repo = path.join(out, 'lessons');
  await mkdir(results, { recursive: true });
  await mkdir(path.join(repo, LESSONS_FOLDER), { recursive: true });
  await git(repo, ['init', '-q']);

  const summary: PlantedFilesSummary = { runs: 0, rows: 0, commits: 0, externalChanges: 0 };
  const external: Record<string, string>[] = [];
  const lessonFiles = new Map<string, { title: string; keywords: string[]; body: string }>();
  // The rows of the run being written (the events come in time order, a run's outcomes together).
  const pending = { at: '', lines: [] as string[] };
  const flush = async () => {
    if (pending.lines.length === 0) return;
    const folder = path.join(results, runFolderName(new Date(pending.at)));
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'eval_results.csv'), `${[CURRENT_EVAL_RESULTS_HEADER.join(','), ...pending.lines].join('\n')}\n`);
    summary.runs += 1;
    summary.rows += pending.lines.length;
    pending.lines = [];
  };

  for (const event of events) {
    if (event.type === 'TestOutcomeRecorded') {
      if (pending.at !== event.metadata.occurredAt) {
        await flush();
        pending.at = event.metadata.occurredAt;
      }
      pending.lines.push(csvRow(event.data as TestOutcomeRecordedData));
      continue;
    }
    await flush();
    if (event.type === 'ExternalChangeObserved') {
      const data = event.data as ExternalChangeObservedData;
      external.push({ changeId: data.changeId, kind: data.kind, subject: data.subject, description: data.description, occurredAt: event.metadata.occurredAt });
      continue;
    }
    await commitLessonChange(repo, event, lessonFiles);
    summary.commits += 1;
  }
  await flush();
  summary.externalChanges = external.length;
  await writeFile(path.join(out, 'external-changes.json'), `${JSON.stringify(external, null, 2)}\n`);
  await writeFile(path.join(out, 'ground-truth.json'), `${JSON.stringify(fileTruth(options, truth), null, 2)}\n`);
  return summary;
}

/** One row of the current header: a pass or failure in 30 s with tokens, an infra error in 1 s without. */
function csvRow(o: TestOutcomeRecordedData): string {
  const infra = o.suspectedInfraError;
  const tokens = infra ? ['0', '0', '0', '0', '0'] : ['1200', '300', '1500', '0', '0'];
  const durations = infra ? ['1.0', '0.5', '0.4', '0.1'] : ['30.0', '25.0', '4.0', '1.0'];
  const cells = [
    o.model, TOOL_FORMAT, o.test, o.passed ? 'true' : 'false', o.passed ? '1/1' : '0/1', infra ? '0' : '2', infra ? '0' : '3',
    ...tokens, '0.0', '', ...durations, o.harnessCommit ?? '', '', '',
  ];
  return cells.join(',');
}

async function commitLessonChange(repo: string, event: PlantedEvent, files: Map<string, { title: string; keywords: string[]; body: string }>): Promise<void> {
  let lessonId: string;
  let message: string;
  if (event.type === 'LessonCreated') {
    const data = event.data as LessonCreatedData;
    lessonId = data.lessonId;
    files.set(lessonId, { title: data.title, keywords: [...(data.match?.keywords ?? [])], body: data.body });
    message = `add ${lessonId}`;
  } else if (event.type === 'LessonEdited') {
    const data = event.data as LessonEditedData;
    lessonId = data.lessonId;
    const file = files.get(lessonId)!;
    const body = (data.changes as { body?: { to: string } }).body?.to ?? file.body;
    files.set(lessonId, { ...file, body });
    message = data.reason ?? `edit ${lessonId}`;
  } else {
    throw new Error(`The planted world has no file for a ${event.type} event`);
  }
  const file = files.get(lessonId)!;
  const relative = lessonPath(lessonId);
  await writeFile(path.join(repo, relative), lessonFile(file));
  const when = event.metadata.occurredAt;
  await git(repo, ['add', relative]);
  await git(repo, ['-c', 'user.name=Planted World', '-c', 'user.email=planted@example.invalid', 'commit', '-q', '-m', message], {
    GIT_AUTHOR_DATE: when,
    GIT_COMMITTER_DATE: when,
  });
}

/** gptme's lesson format: YAML frontmatter with the keywords, a `# ` title, the rule. */
function lessonFile(file: { title: string; keywords: string[]; body: string }): string {
  return ['---', 'match:', '  keywords:', ...file.keywords.map((k) => `    - "${k}"`), 'status: active', '---', `# ${file.title}`, '', file.body, ''].join('\n');
}

function fileTruth(options: PlantedWorldOptions, truth: GroundTruth): FileGroundTruth {
  const labelOf = new Map(truth.plantedChanges.map((c) => [c.changeId, changeLabel(withFileSubject(c))]));
  const relabel = (within: Record<number, string[]>) =>
    Object.fromEntries(Object.entries(within).map(([w, ids]) => [w, ids.map((id) => labelOf.get(id)!).sort()]));
  return {
    options,
    models: truth.models,
    outcomes: truth.outcomes,
    tests: truth.tests,
    lessonChanges: truth.lessonChanges.map((c) => {
      const planted = truth.plantedChanges.find((p) => p.changeId === c.changeId)!;
      return {
        lessonId: lessonIdForPath(lessonPath(c.lessonId)),
        path: lessonPath(c.lessonId),
        kind: planted.kind,
        at: c.at,
        trueEffect: c.trueEffect,
        matchesNoTest: c.matchesNoTest === true,
        confoundersWithin: relabel(c.confoundersWithin),
        confoundedModelsWithin: c.confoundedModelsWithin,
        statusWithin: c.statusWithin,
      };
    }),
    plantedChanges: truth.plantedChanges.map(({ changeId: _id, ...c }) => withFileSubject(c)),
  };
}

/** Lesson changes are about the lesson as the importer names its file. */
function withFileSubject<T extends { kind: string; subject: string }>(change: T): T {
  return change.kind.startsWith('lesson-') ? { ...change, subject: lessonIdForPath(lessonPath(change.subject)) } : change;
}

async function git(repo: string, args: string[], env: Record<string, string> = {}): Promise<void> {
  await run('git', ['-C', repo, ...args], { env: { ...process.env, ...env } });
}
