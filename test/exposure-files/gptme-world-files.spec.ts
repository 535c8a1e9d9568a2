/**
 * The sessions world written as a gptme team would have it (eval_results folders, log dirs, lesson files): from
 * the logs alone, each outcome's injected set and its withheld lessons with their withheldBy come out exactly as
 * the world wrote them (never `coin`: logs do not show the coin), and the manifests carry the coin itself.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { LessonExposureRecordedData } from '../../contracts/exposure.js';
import { simulateSessionsWorld, type SessionsWorld } from '../../bench/gen-history/sessions-world/simulate-sessions.js';
import { DEFAULT_SESSIONS_WORLD } from '../../bench/gen-history/sessions-world/world-config.js';
import { writeGptmeWorld, type GptmeWorldFiles } from '../../bench/gen-history/sessions-world/write-gptme-world.js';
import { exposureFromConversation, lessonsByPath, referenceFor, type KnownLesson } from '../../src/exposure-files/log-exposure.js';
import { parseManifest } from '../../src/exposure-files/manifest.js';
import { openLogRoot, readConversation, type LogRoot } from '../../src/gptme-logs/index.js';
import { readRunFolder } from '../../src/ingest/gptme/read-run-folder.js';
import { parseLessonFile } from '../../src/lessons/gptme/parse-lesson-file.js';
import { readLessonDirectory } from '../../src/lessons/import/read-lesson-directory.js';

describe('the sessions world as gptme files', () => {
  let tmp: string;
  let world: SessionsWorld;
  let files: GptmeWorldFiles;
  let root: LogRoot;
  let known: ReturnType<typeof lessonsByPath>;
  const byTest = new Map<string, LessonExposureRecordedData>();

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'lessonloop-gptme-world-'));
    world = simulateSessionsWorld({ ...DEFAULT_SESSIONS_WORLD, seed: 5, sessions: 600, lessons: 12, holdoutRate: 0.2 });
    for (const e of world.events) byTest.set((e.data as LessonExposureRecordedData).outcome.test, e.data as LessonExposureRecordedData);
    files = await writeGptmeWorld(world, tmp, { runHoldoutEvery: 3, manifest: true });
    const opened = await openLogRoot(files.logRoot);
    if (!opened.ok) throw new Error(opened.error.reason);
    root = opened.root;
    const lessons: KnownLesson[] = [];
    for (const file of await readLessonDirectory(files.lessonsDir)) {
      const parsed = parseLessonFile(file.path, file.text);
      if (!parsed.ok) throw new Error(parsed.reason);
      lessons.push({ lessonId: path.basename(file.path, '.md'), path: parsed.lesson.path, status: parsed.lesson.status, deleted: false, match: parsed.lesson.match });
    }
    known = lessonsByPath(lessons);
  }, 60_000);
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  it('derives every injected set and withheldBy exactly from the logs', async () => {
    const counts = { outcomes: 0, injected: 0, cap: 0, unknown: 0, runHoldout: 0, coinWithheldSeen: 0 };
    const folders = (await readdir(files.resultsDir)).sort();
    expect(folders).toHaveLength(files.runs);
    for (const folder of folders) {
      const lessonsOff = files.runHoldoutRuns.includes(folder);
      const run = await readRunFolder(path.join(files.resultsDir, folder));
      for (const row of run.outcomes) {
        const truth = byTest.get(row.test)!;
        const read = await readConversation(root, row.logDir!);
        if (!read.ok) throw new Error(read.error.reason);
        const derived = exposureFromConversation(read.messages, known, { cap: DEFAULT_SESSIONS_WORLD.topK, runHoldout: lessonsOff });
        const injected = lessonsOff ? [] : truth.injected.map((r) => r.lessonId);
        const candidates = [...truth.injected, ...truth.withheld].map((r) => r.lessonId!);
        const withheldBy = lessonsOff ? 'run-holdout' : injected.length >= DEFAULT_SESSIONS_WORLD.topK ? 'cap' : 'unknown';
        expect(derived.injected).toEqual(injected.map((lessonId) => ({ lessonId })));
        expect(derived.withheld).toEqual(candidates.filter((id) => !injected.includes(id)).sort().map((lessonId) => ({ lessonId, withheldBy })));
        counts.outcomes += 1;
        counts.injected += derived.injected.length;
        for (const w of derived.withheld) counts[w.withheldBy === 'run-holdout' ? 'runHoldout' : (w.withheldBy as 'cap' | 'unknown')] += 1;
        counts.coinWithheldSeen += truth.withheld.filter((w) => w.withheldBy === 'coin').length;
      }
    }
    expect(counts.outcomes).toBe(world.events.length);
    // Every reason occurs, and the coin the world flipped is never claimed from logs.
    for (const n of [counts.injected, counts.cap, counts.unknown, counts.runHoldout, counts.coinWithheldSeen]) expect(n).toBeGreaterThan(0);
  });

  it('writes manifests that carry the coin, lesson by path', async () => {
    const folder = (await readdir(files.resultsDir)).sort()[0]!;
    const file = path.join(files.resultsDir, folder, 'lessons.jsonl');
    const parsed = parseManifest(await readFile(file, 'utf8'), file);
    if (!parsed.ok) throw new Error(parsed.issues.map((i) => i.reason).join('; '));
    for (const line of parsed.lines) {
      const truth = byTest.get(line.test)!;
      const ids = (refs: { path?: string | undefined }[]) => refs.map((r) => referenceFor(r.path!, known));
      expect(ids(line.injected)).toEqual(truth.injected.map((r) => ({ lessonId: r.lessonId })));
      expect(ids(line.withheld)).toEqual(truth.withheld.map((r) => ({ lessonId: r.lessonId })));
      expect(line.withheld.map((w) => w.withheldBy)).toEqual(truth.withheld.map((w) => w.withheldBy));
      expect(line.injected.every((r) => r.holdoutRate === 0.2)).toBe(true);
    }
  });
});
