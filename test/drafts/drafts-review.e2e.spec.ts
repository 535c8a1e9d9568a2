/**
 * Reviewing lesson drafts over HTTP and the CLI: `drafts detect` (a bad --log-root refused before anything is
 * written), `GET /drafts` paged with evidence, `POST /drafts/:id/accept` creating the lesson as a draft,
 * `POST /drafts/:id/reject` with a reason, `drafts list|show|export`, and a rule set's drafts side by side
 * (`detect --rule-set --dry-run`).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { register as registerDrafts } from '../../src/cli/commands/drafts.command.js';
import { lessonStreamId } from '../../src/lessons/domain/lesson-stream.js';
import { API_TOKENS, READ_AUTH, WRITE_AUTH } from '../ingest-http/http-test-support.js';
import { runCommandOnApp } from '../support/cli-command.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { plantStoreWorld } from './support/store-world.js';

describe('reviewing lesson drafts', () => {
  let t: TestApp;
  let tmp: string;
  let logRoot: string;
  const cli = (...argv: string[]) => runCommandOnApp([registerDrafts], t.app, ['drafts', ...argv]);
  /** Events detection or review could write (the app's own processors append other kinds meanwhile). */
  const DRAFT_EVENTS = new Set(['FailureSignaturesRecorded', 'LessonDraftProposed', 'LessonDraftAccepted', 'LessonDraftRejected', 'LessonCreated']);
  const count = async () => (await t.store.readAll({ maxCount: 100_000 })).filter((e) => DRAFT_EVENTS.has(e.type)).length;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'll-drafts-review-'));
    t = await createTestApp({ env: { LESSONLOOP_API_TOKENS: API_TOKENS, LESSONLOOP_IMPORT_ROOT: tmp } });
    logRoot = path.join(tmp, 'logs');
    await plantStoreWorld(t.store, logRoot);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await rm(tmp, { recursive: true, force: true });
    await rm(`${logRoot}-outside`, { recursive: true, force: true });
  });

  it('detect refuses a --log-root that is not a directory, writing nothing', async () => {
    const before = await count();
    await expect(cli('detect', '--log-root', path.join(tmp, 'nowhere'))).rejects.toThrow(/--log-root .*nowhere: the log root cannot be opened .*nothing was written/);
    expect(await count()).toBe(before);
  });

  it('POST /drafts/detect reads logs under the import root only, needs the write scope, and refuses writing nothing', async () => {
    const before = await count();
    const detect = (body: object, auth = WRITE_AUTH) => request(t.http).post('/drafts/detect').set('Authorization', auth).send(body);
    expect((await detect({ logRoot: 'logs', dryRun: true }, READ_AUTH)).status).toBe(403);
    const outside = await detect({ logRoot: os.tmpdir() });
    expect([outside.status, outside.body.message]).toEqual([400, expect.stringContaining("outside the server's import root")]);
    const unknown = await detect({ logRoot: 'logs', ruleSet: 'no-such-rules' });
    expect(unknown.status).toBe(404);
    expect((await detect({ dryRun: 'yes' })).status).toBe(400);
    expect(await count()).toBe(before);
    const dry = await detect({ logRoot: 'logs', dryRun: true }).expect(200);
    // A dry run reads no log (signatures are recorded by a real detection): the root was accepted, the history counted.
    expect([dry.body.logRootProblem, dry.body.outcomes, dry.body.failing]).toEqual([null, 100, 52]);
    expect(dry.body.sideBySide).toEqual({ both: [], onlyRuleSet: [], onlyCurrent: [] });
    expect(await count()).toBe(before);
  });

  it('a rule set lists the drafts it would propose beside the current ones, writing nothing', async () => {
    const ruleSet = { ruleSetId: 'strict-drafts', name: 'strict drafts', parameters: { 'lesson-drafts': { draftMinModels: 4 } } };
    await request(t.http).post('/rule-sets').set('Authorization', WRITE_AUTH).send(ruleSet).expect(201);
    const before = await count();
    const strict = JSON.parse(await cli('detect', '--log-root', logRoot, '--rule-set', 'strict-drafts', '--dry-run', '--format', 'json'));
    expect(strict.drafts).toEqual([]);
    expect(await count()).toBe(before);
    const printed = await cli('detect', '--log-root', logRoot);
    const side = JSON.parse(await cli('detect', '--log-root', logRoot, '--rule-set', 'strict-drafts', '--dry-run', '--format', 'json')).sideBySide;
    expect(side).toEqual({ both: [], onlyRuleSet: [], onlyCurrent: [expect.stringMatching(/\|json-parse \(proposed\)$/), expect.stringMatching(/\|rust-build \(proposed\)$/)] });
    expect(await cli('detect', '--log-root', logRoot, '--dry-run')).toMatch(/proposed now and under default: 2\n[\s\S]*only now: 0/);
    expect(printed).toMatch(/2 draft\(s\), 2 new/);
    expect(printed).toMatch(/log not used: .*malformed/);
  });

  it('GET /drafts pages through the drafts with their evidence', async () => {
    const first = await request(t.http).get('/drafts?limit=1').set('Authorization', READ_AUTH).expect(200);
    expect(first.body).toMatchObject({ total: 2, next: expect.any(String) });
    expect(first.body.drafts[0].evidence).toHaveLength(24);
    const second = await request(t.http).get(`/drafts?limit=1&after=${first.body.next}`).set('Authorization', READ_AUTH).expect(200);
    expect(second.body.next).toBeNull();
    expect(second.body.drafts[0].draftId).not.toBe(first.body.drafts[0].draftId);
    await request(t.http).get('/drafts?limit=0').set('Authorization', READ_AUTH).expect(400);
  });

  it('POST accept creates the lesson as a draft; POST reject needs a reason and records who', async () => {
    const { body } = await request(t.http).get('/drafts').set('Authorization', READ_AUTH).expect(200);
    const [json, rust] = ['json-parse', 'rust-build'].map((f) => body.drafts.find((d: { pattern: { testFamily: string } }) => d.pattern.testFamily === f));
    const accepted = await request(t.http).post(`/drafts/${json.draftId}/accept`).set('Authorization', WRITE_AUTH).send({}).expect(200);
    const [created] = await t.store.readStream(lessonStreamId(accepted.body.lessonId));
    expect(created).toMatchObject({ type: 'LessonCreated', data: { status: 'draft' }, metadata: { actor: 'token:writer' } });
    await request(t.http).post(`/drafts/${rust.draftId}/reject`).set('Authorization', WRITE_AUTH).send({}).expect(400);
    await request(t.http).post(`/drafts/${rust.draftId}/reject`).set('Authorization', READ_AUTH).send({ reason: 'x' }).expect(403);
    await request(t.http).post(`/drafts/${rust.draftId}/reject`).set('Authorization', WRITE_AUTH).send({ reason: 'a flaky build' }).expect(200);
    await request(t.http).post(`/drafts/${rust.draftId}/accept`).set('Authorization', WRITE_AUTH).send({}).expect(409);
    await request(t.http).post('/drafts/00000000-0000-5000-8000-000000000000/accept').set('Authorization', WRITE_AUTH).send({}).expect(404);
    const rejected = await request(t.http).get(`/drafts/${rust.draftId}`).set('Authorization', READ_AUTH).expect(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', review: { actor: 'token:writer', reason: 'a flaky build' } });
  });

  it('the CLI lists, shows and exports the drafts as gptme lesson files', async () => {
    const listed = await cli('list');
    expect(listed.trim().split('\n')).toHaveLength(2);
    expect(listed).toMatch(/accepted .*-> lesson /);
    expect(listed).toMatch(/rejected .*\(token:writer: a flaky build\)/);
    const id = /^(\S+)\s+accepted/m.exec(listed)![1]!;
    expect(await cli('show', id)).toMatch(/evidence: 12 outcomes|evidence: 24 outcomes/);
    await expect(cli('show', 'not-a-uuid')).rejects.toThrow(/must be a draft id/);
    const out = path.join(tmp, 'lessons');
    expect(await cli('export', '--to', out)).toMatch(/1 lesson file\(s\) written/);
    const { body } = await request(t.http).get(`/drafts/${id}`).set('Authorization', READ_AUTH).expect(200);
    const file = await readFile(path.join(out, body.path), 'utf8');
    expect(file).toBe(body.file);
    expect(file).toMatch(/^---\nmatch:\n {2}keywords:\n[\s\S]*\nstatus: draft\n---\n# /);
  });
});
