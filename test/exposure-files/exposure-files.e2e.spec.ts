/**
 * Exposure from gptme files (`lessonloop exposure import`): a manifest beside eval_results.csv, else the log's
 * `# Relevant Lessons` messages; an unreadable log is an unknown exposure; a bad manifest rejects its run whole;
 * importing again appends nothing; with a manifest carrying the coin, estimates equal those sent over HTTP; the
 * injection gate answers from those exposures and exports the file gptme's eval runner reads.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { exposureStreamId, type LessonExposureRecordedData } from '../../contracts/exposure.js';
import { register as registerExposure } from '../../src/cli/commands/exposure.command.js';
import { register as registerGate } from '../../src/cli/commands/injection-gate.command.js';
import { catalogueLessons } from '../../src/exposure-files/catalogue-lessons.js';
import { importExposureFiles } from '../../src/exposure-files/import-exposure-files.js';
import { buildEvalRunEvents, testOutcomeEventId } from '../../src/ingest/eval-run-events.js';
import { decideLesson } from '../../src/lessons/domain/decide-lesson.js';
import { lessonStreamId } from '../../src/lessons/domain/lesson-stream.js';
import { toNewEvents } from '../../src/lessons/store/lesson-events.js';
import { API_TOKENS, eventually, READ_AUTH, WRITE_AUTH } from '../ingest-http/http-test-support.js';
import { entryProblems, gateRecommendation, loadGateFile } from '../injection-gate/gptme-gate-format.js';
import { runCommandOnApp } from '../support/cli-command.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const durations = { total: 60, generation: 50, run: 5, eval: 5 };
const tokens = { input: 100, output: 50, total: 150, cacheRead: 0, cacheCreation: 0 };
const FOREIGN = '/home/appuser/.local/share/gptme/logs';
const LOG_RUN = '20260101_000000Z';
const FILE_RUN = '20260102_000000Z';
const HTTP_RUN = '20260103_000000Z';
const BAD_RUN = '20260104_000000Z';
const GATE_RUN = '20260105_000000Z';
/** 20 coin-injected outcomes (18 pass), then 20 coin-withheld (4 pass), all of test g for model m2. */
const GATE = Array.from({ length: 40 }, (_, i) => ({ on: i < 20, passed: i < 20 ? i < 18 : i < 24 }));
const LESSONS = [
  { id: 'lesson-patch', path: 'tools/patch.md', keywords: ['patch'] },
  { id: 'lesson-git', path: 'workflow/git.md', keywords: ['commit'] },
  { id: 'lesson-shell', path: 'tools/shell.md', keywords: ['zzz-never'] },
  { id: 'lesson-file', path: 'x/file.md', keywords: ['zzz-never'] },
  { id: 'lesson-http', path: 'x/http.md', keywords: ['zzz-never'] },
];
const line = (o: object) => JSON.stringify(o);
const lessonsMessage = (paths: string[]) => `# Relevant Lessons\n${paths.map((p) => `\n## L\n\n*Path: ${p}*\n\nbody\n`).join('')}`;
const PASSES = [true, true, false, true, false, false, true, false];

function run(runId: string, outcomes: { test: string; passed: boolean; logDir?: string; model?: string }[]) {
  return buildEvalRunEvents({
    runId,
    startedAt: `${runId.slice(0, 4)}-${runId.slice(4, 6)}-${runId.slice(6, 8)}T00:00:00Z`,
    source: 'test',
    outcomes: outcomes.map((o) => ({ ...o, model: o.model ?? 'm1', rawModel: o.model ?? 'm1', toolFormat: null, durations, tokens })),
  });
}

describe('exposure from gptme files', () => {
  let t: TestApp;
  let tmp: string;
  let results: string;
  let logRoot: string;

  beforeAll(async () => {
    t = await createTestApp({ env: { LESSONLOOP_API_TOKENS: API_TOKENS } });
    for (const l of LESSONS) {
      const drafts = decideLesson(null, { kind: 'create', lessonId: l.id, path: l.path, title: l.id, category: 'tools', body: `# ${l.id}\n`, match: { keywords: l.keywords } });
      await t.store.appendToStream(lessonStreamId(l.id), toNewEvents(drafts, { occurredAt: '2025-12-01T00:00:00Z', source: 'test' }), { expectedRevision: 'no_stream' });
    }
    const logged = ['a', 'b', 'c', 'd'].map((test) => ({ test, passed: true, ...(test === 'd' ? {} : { logDir: `${FOREIGN}/conv-${test}` }) }));
    const eight = (prefix: string) => PASSES.map((passed, i) => ({ test: `${prefix}${i}`, passed }));
    await t.store.appendMany([run(LOG_RUN, logged), run(FILE_RUN, eight('t')), run(HTTP_RUN, eight('t')), run(BAD_RUN, eight('t')), run(GATE_RUN, GATE.map((g) => ({ test: 'g', model: 'm2', passed: g.passed })))]);

    tmp = await mkdtemp(path.join(os.tmpdir(), 'lessonloop-exposure-'));
    results = path.join(tmp, 'eval_results');
    logRoot = path.join(tmp, 'logs-copy');
    for (const r of [LOG_RUN, FILE_RUN, HTTP_RUN, BAD_RUN, GATE_RUN]) await mkdir(path.join(results, r), { recursive: true });
    await mkdir(path.join(logRoot, 'conv-a'), { recursive: true });
    await writeFile(
      path.join(logRoot, 'conv-a', 'conversation.jsonl'),
      [
        line({ role: 'user', content: 'fix it with a patch, then commit', timestamp: '2026-01-01T00:00:01' }),
        line({ role: 'system', content: lessonsMessage(['/home/bob/lessons/tools/patch.md']), timestamp: '2026-01-01T00:00:02', hide: true }),
        line({ role: 'assistant', content: 'use the shell', timestamp: '2026-01-01T00:00:03' }),
        line({ role: 'system', content: lessonsMessage(['/home/bob/lessons/tools/shell.md', '/home/bob/lessons/new/unknown.md']), timestamp: '2026-01-01T00:00:04', hide: true }),
      ].join('\n'),
    );
    await mkdir(path.join(logRoot, 'conv-b'));
    await writeFile(path.join(logRoot, 'conv-b', 'conversation.jsonl'), `${line({ role: 'user', content: 'x', timestamp: 't' })}\n{"role":\n`);
    const coin = (i: number) => (i % 2 === 0 ? { injected: [{ path: '/elsewhere/lessons/x/file.md', holdoutRate: 0.5 }], withheld: [] } : { injected: [], withheld: [{ lessonId: 'lesson-file', withheldBy: 'coin', holdoutRate: 0.5 }] });
    await writeFile(path.join(results, FILE_RUN, 'lessons.jsonl'), PASSES.map((_, i) => line({ model: 'm1', test: `t${i}`, category: 'c1', ...coin(i) })).join('\n'));
    await writeFile(path.join(results, BAD_RUN, 'lessons.jsonl'), `${line({ model: 'm1', test: 't0', injected: [{ lessonId: 'no-such' }] })}\n${line({ model: 'm1', test: 't1', withheld: [{ lessonId: 'lesson-file', withheldBy: 'coin', holdoutRate: 0.1 }] })}\n`);
    const gateLine = (on: boolean, occurrence: number) =>
      line({ model: 'm2', test: 'g', occurrence, ...(on ? { injected: [{ lessonId: 'lesson-file', holdoutRate: 0.5 }] } : { withheld: [{ lessonId: 'lesson-file', withheldBy: 'coin', holdoutRate: 0.5 }] }) });
    await writeFile(path.join(results, GATE_RUN, 'lessons.jsonl'), GATE.map((g, i) => gateLine(g.on, i)).join('\n'));
    await eventually(async () => expect((await catalogueLessons(t.sql))?.length).toBe(LESSONS.length));
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await rm(tmp, { recursive: true, force: true });
  });

  const exposureOf = async (runId: string, test: string) =>
    (await t.store.readStream(exposureStreamId(testOutcomeEventId(runId, 'm1', null, test, 0)))).map((e) => [e.metadata.source, e.data as LessonExposureRecordedData] as const);

  it('derives injected and withheld from the log, records unreadable logs as unknown, rejects a bad manifest whole', async () => {
    const printed = await runCommandOnApp([registerExposure], t.app, ['exposure', 'import', results, '--log-root', logRoot, '--cap', '1']).catch((e: Error) => e.message);
    expect(printed).toMatch(/1 run\(s\) rejected/);
    const summary = await importExposureFiles(t.store, t.sql, results, { logRoot, cap: 1 });
    expect(summary).toMatchObject({ appended: { manifest: 0, log: 0, unknown: 0 }, alreadyRecorded: 8 + 3 + 40 });
    expect(summary.rejected).toEqual([
      {
        runId: BAD_RUN,
        reasons: [expect.stringMatching(/lessons\.jsonl:1: injected\.0\.lessonId: no lesson has id no-such$/)],
      },
    ]);
    for (const test of ['t0', 't1']) expect(await exposureOf(BAD_RUN, test)).toEqual([]);

    const [[source, a]] = (await exposureOf(LOG_RUN, 'a')) as [[string, LessonExposureRecordedData]];
    expect(source).toBe('gptme-log');
    expect(a.injected).toEqual([{ lessonId: 'lesson-patch' }, { lessonId: 'lesson-shell' }, { path: 'new/unknown.md' }]);
    // Matched before the first batch ("commit"), never injected; the first batch was full at cap 1.
    expect(a.withheld).toEqual([{ lessonId: 'lesson-git', withheldBy: 'cap' }]);
    const [[bSource, b]] = (await exposureOf(LOG_RUN, 'b')) as [[string, LessonExposureRecordedData]];
    expect(bSource).toBe('gptme-log-unknown');
    expect(b).toMatchObject({ injected: [], withheld: [], unknownBecause: expect.stringContaining('conv-b/conversation.jsonl:2: malformed') });
    expect((await exposureOf(LOG_RUN, 'c'))[0]![1].unknownBecause).toMatch(/missing/);
    expect(await exposureOf(LOG_RUN, 'd')).toEqual([]);
  });

  it('a manifest with the coin gives the same estimates as the same exposures over HTTP', async () => {
    const [[, first]] = (await exposureOf(FILE_RUN, 't0')) as [[string, LessonExposureRecordedData]];
    expect(first).toMatchObject({ category: 'c1', injected: [{ lessonId: 'lesson-file', holdoutRate: 0.5 }] });
    const coin = (i: number) => (i % 2 === 0 ? { injected: [{ lessonId: 'lesson-http', holdoutRate: 0.5 }], withheld: [] } : { injected: [], withheld: [{ lessonId: 'lesson-http', withheldBy: 'coin', holdoutRate: 0.5 }] });
    const exposures = PASSES.map((_, i) => ({ outcomeEventId: testOutcomeEventId(HTTP_RUN, 'm1', null, `t${i}`, 0), category: 'c1', ...coin(i) }));
    await eventually(async () => request(t.http).post('/exposures').set('Authorization', WRITE_AUTH).send({ exposures }).expect(201));
    const effect = (id: string) =>
      eventually(async () => {
        const answer = await request(t.http).get(`/lessons/${id}/effect`).set('Authorization', READ_AUTH).expect(200);
        expect(answer.body.estimates['randomized-holdout'].n).toBeGreaterThanOrEqual(8);
        return answer.body.estimates as Record<string, { evidence?: unknown; strata: { key: string }[] }>;
      });
    const withoutEvidence = (estimates: Record<string, { evidence?: unknown }>) =>
      Object.fromEntries(Object.entries(estimates).map(([method, { evidence: _e, ...rest }]) => [method, rest]));
    const [fromFiles, fromHttp] = [await effect('lesson-file'), await effect('lesson-http')];
    // lesson-file also has run GATE_RUN (model m2, its own stratum): compare the m1|c1 strata, and the whole
    // estimate once the HTTP side gets the same 40 outcomes of m2 as well.
    const m1 = (e: Record<string, { strata: { key: string }[] }>) => e['randomized-holdout']!.strata.find((s) => s.key === 'm1|c1');
    expect(m1(fromFiles)).toEqual(m1(fromHttp));
    const gateExposures = GATE.map((g, i) => ({
      outcomeEventId: testOutcomeEventId(GATE_RUN, 'm2', null, 'g', i),
      ...(g.on ? { injected: [{ lessonId: 'lesson-http', holdoutRate: 0.5 }] } : { withheld: [{ lessonId: 'lesson-http', withheldBy: 'coin', holdoutRate: 0.5 }] }),
    }));
    await eventually(async () => request(t.http).post('/exposures').set('Authorization', WRITE_AUTH).send({ source: 'harness', exposures: gateExposures }).expect(201));
    await eventually(async () => {
      const [files, http] = [await effect('lesson-file'), await effect('lesson-http')];
      expect(withoutEvidence(files)).toEqual(withoutEvidence(http));
    });
  });

  it('the injection gate: GET /injection-gate per pair and lesson, and the file gptme reads, under its rules', async () => {
    const pair = await eventually(async () => {
      const answer = await request(t.http).get('/injection-gate?model=m2&test=g').set('Authorization', READ_AUTH).expect(200);
      expect(answer.body.pair.withLessons.n + answer.body.pair.withoutLessons.n).toBe(40);
      return answer.body;
    });
    expect(pair.pair).toMatchObject({ recommendation: 'inject', withLessons: { n: 20, passes: 18 }, withoutLessons: { n: 20, passes: 4, sources: { coin: 20, 'run-holdout': 0 } } });
    expect(pair.pair.q).toBeLessThanOrEqual(0.1);
    expect(pair.lessons).toEqual([expect.objectContaining({ lessonRef: 'id:lesson-file', recommendation: 'inject', lessonId: 'lesson-file', lessonPath: 'x/file.md', lessonTitle: expect.any(String) })]);
    const all = await request(t.http).get('/injection-gate').set('Authorization', READ_AUTH).expect(200);
    const injects = await request(t.http).get('/injection-gate?recommendation=inject&limit=1').set('Authorization', READ_AUTH).expect(200);
    expect(injects.body).toMatchObject({ counts: all.body.counts, total: all.body.counts.inject, offset: 0 });
    expect(injects.body.pairs).toEqual(all.body.pairs.filter((p: { recommendation: string }) => p.recommendation === 'inject').slice(0, 1));
    expect(injects.body.pairs).toHaveLength(1);
    expect(pair.lessons[0].evidence.withLessons[0]).toEqual([testOutcomeEventId(GATE_RUN, 'm2', null, 'g', 0), expect.any(String)]);
    await request(t.http).get('/injection-gate?model=m2').set('Authorization', READ_AUTH).expect(400);

    const out = path.join(tmp, 'gate.json');
    await runCommandOnApp([registerGate], t.app, ['injection-gate', 'export', '--format', 'gptme', '--out', out]);
    const loaded = loadGateFile(await readFile(out, 'utf8'));
    expect(entryProblems(loaded)).toEqual([]);
    expect(Object.keys(loaded.lookup as object)).toEqual(['m2']);
    expect(gateRecommendation('m2', 'g', loaded)).toBe('inject');
    const viaHttp = await request(t.http).get('/injection-gate?format=gptme').set('Authorization', READ_AUTH).expect(200);
    expect(viaHttp.body).toEqual(loaded);
  });
});
