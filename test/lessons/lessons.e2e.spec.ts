/**
 * /lessons end to end: commands through HTTP onto the lesson streams (optimistic concurrency with If-Match,
 * refusals with reasons and no event), reads from the read models and the streams, matching, variants.
 */
import request from 'supertest';
import { eventually, READ_AUTH, WRITE_AUTH } from '../ingest-http/http-test-support.js';
import { createLessonTestApp, type LessonTestApp } from './support/lesson-test-app.js';

const quoting = {
  lessonId: 'shell-quoting',
  title: 'Quote Shell Paths',
  description: 'Quote paths that may contain spaces.',
  category: 'tools',
  body: '# Quote Shell Paths\n\n## Rule\nAlways quote paths.\n\n## Outcome\nNo split paths.',
  match: { keywords: ['path with spaces', 'No such file*'], tools: ['shell'] },
  reason: 'seen three times this week',
};
const commits = {
  lessonId: 'commit-format',
  title: 'Conventional Commits',
  category: 'workflow',
  match: { keywords: ['commit message'], patterns: ['fix(es)?\\s+#\\d+'] },
};

describe('/lessons (e2e)', () => {
  let t: LessonTestApp;
  /** Events in this spec's lesson streams (read directly: not held back by other open transactions). */
  const events = async () => {
    let count = 0;
    for (const id of ['shell-quoting', 'commit-format', 'commit-format-short']) count += (await t.store.readStream(`lesson-${id}`)).length;
    return count;
  };
  const patch = (id: string, revision: string | null, body: unknown) => {
    const req = request(t.http).patch(`/lessons/${id}`).set('Authorization', WRITE_AUTH);
    return (revision === null ? req : req.set('If-Match', revision)).send(body as object);
  };

  beforeAll(async () => {
    t = await createLessonTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('POST /lessons creates a lesson at revision 0 (ETag, Location); writes need the write token', async () => {
    await request(t.http).post('/lessons').send(quoting).expect(401);
    await request(t.http).post('/lessons').set('Authorization', READ_AUTH).send(quoting).expect(403);
    const res = await request(t.http).post('/lessons').set('Authorization', WRITE_AUTH).send(quoting).expect(201);
    expect(res.headers.etag).toBe('"0"');
    expect(res.headers.location).toBe('/lessons/shell-quoting');
    expect(res.body).toMatchObject({
      lessonId: 'shell-quoting',
      revision: 0,
      status: 'active',
      path: null,
      match: { keywords: ['path with spaces', 'No such file*'], patterns: [], tools: ['shell'], sessionCategories: [] },
      sections: { rule: 'Always quote paths.', outcome: 'No split paths.' },
    });
    const [created] = await t.store.readStream('lesson-shell-quoting');
    expect(created).toMatchObject({ type: 'LessonCreated', metadata: { source: 'api', actor: 'token:writer' }, data: { reason: 'seen three times this week' } });
    await request(t.http).post('/lessons').set('Authorization', WRITE_AUTH).send(quoting).expect(409);
    await request(t.http).post('/lessons').set('Authorization', WRITE_AUTH).send(commits).expect(201);
  });

  it('GET /lessons/:id reads the stream and gives the revision as ETag; 404 for an unknown id', async () => {
    const res = await request(t.http).get('/lessons/shell-quoting').expect(200);
    expect(res.headers.etag).toBe('"0"');
    expect(res.body).toMatchObject({ title: 'Quote Shell Paths', revision: 0 });
    await request(t.http).get('/lessons/nope').expect(404);
  });

  it('PATCH at the current revision edits fields, match and status in one change', async () => {
    const res = await patch('shell-quoting', '"0"', {
      title: 'Quote Every Shell Path',
      match: { add: { keywords: ['unexpected word'] }, remove: { tools: ['shell'] } },
      reason: 'sharper',
    }).expect(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.body).toMatchObject({ revision: 2, title: 'Quote Every Shell Path', match: { keywords: ['path with spaces', 'No such file*', 'unexpected word'], tools: [] } });
    const stream = await t.store.readStream('lesson-shell-quoting');
    expect(stream.map((e) => e.type)).toEqual(['LessonCreated', 'LessonEdited', 'LessonMatchChanged']);
    expect(stream[1]!.data).toMatchObject({ changes: { title: { from: 'Quote Shell Paths', to: 'Quote Every Shell Path' } }, reason: 'sharper' });
  });

  it('a stale If-Match is 409 with the current revision (body and ETag), and nothing is written', async () => {
    const before = await events();
    const res = await patch('shell-quoting', '"0"', { title: 'Lost update?' }).expect(409);
    expect(res.headers.etag).toBe('"2"');
    expect(res.body).toMatchObject({ statusCode: 409, lessonId: 'shell-quoting', expectedRevision: 0, currentRevision: 2 });
    expect(await events()).toBe(before);
    await patch('shell-quoting', null, { title: 'x' }).expect(428);
    await patch('shell-quoting', 'yesterday', { title: 'x' }).expect(400);
    await patch('nope', '"0"', { title: 'x' }).expect(404);
  });

  it('N parallel edits at one revision: exactly one succeeds, the rest are 409, nothing is lost', async () => {
    const current = await request(t.http).get('/lessons/commit-format').expect(200);
    const revision = current.headers.etag as string;
    const before = await events();
    const N = 8;
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) => patch('commit-format', revision, { description: `writer ${i} was here` })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array(N - 1).fill(409)]);
    const winner = results.find((r) => r.status === 200)!;
    for (const loser of results.filter((r) => r.status === 409)) {
      expect(loser.body).toMatchObject({ currentRevision: Number(JSON.parse(winner.headers.etag as string)) });
    }
    expect(await events()).toBe(before + 1);
    const after = await request(t.http).get('/lessons/commit-format').expect(200);
    expect(after.body.description).toBe(winner.body.description);
    expect(after.headers.etag).toBe(winner.headers.etag);
  });

  it.each([
    ['an empty keyword', { match: { add: { keywords: [''] } } }, 422, [{ field: 'match.add.keywords[0]', reason: 'an empty keyword never matches anything' }]],
    ['an unknown status', { status: { to: 'retired', reason: 'old' } }, 422, [{ field: 'status', reason: 'unknown status "retired" (known: draft, active, automated, deprecated, archived)' }]],
    ['a keyword already there', { match: { add: { keywords: ['path with spaces'] } } }, 422, [{ field: 'match.add.keywords', reason: '"path with spaces" is already in keywords' }]],
    ['an invalid regex pattern', { match: { add: { patterns: ['[oops'] } } }, 400, [{ field: 'match.add.patterns.0', reason: '"[oops" is not a valid regular expression' }]],
    ['an unknown field', { title: 'T', colour: 'red' }, 400, [{ field: 'colour', reason: 'unknown field' }]],
    ['an empty change', {}, 400, [{ field: null, reason: expect.stringContaining('nothing to change') }]],
  ])('refuses %s with a clear reason and no event', async (_name, body, status, problems) => {
    const before = await events();
    const { headers } = await request(t.http).get('/lessons/shell-quoting');
    const res = await patch('shell-quoting', headers.etag as string, body).expect(status);
    expect(res.body.problems).toEqual(problems);
    expect(await events()).toBe(before);
  });

  it('archiving an archived lesson is refused (422) and writes nothing', async () => {
    let etag = (await request(t.http).get('/lessons/shell-quoting')).headers.etag as string;
    const archived = await patch('shell-quoting', etag, { status: { to: 'archived', reason: 'no longer fires', decidedBy: 'policy', ruleSetId: 'rs-1' } }).expect(200);
    expect(archived.body.status).toBe('archived');
    etag = archived.headers.etag as string;
    const before = await events();
    const res = await patch('shell-quoting', etag, { status: { to: 'archived', reason: 'again' } }).expect(422);
    expect(res.body.problems).toEqual([{ field: 'status', reason: 'lesson shell-quoting is already archived' }]);
    expect(await events()).toBe(before);
    const create = await request(t.http).post('/lessons').set('Authorization', WRITE_AUTH).send({ title: 'T', category: 'c', match: { keywords: ['  '] } }).expect(422);
    expect(create.body.problems).toEqual([{ field: 'match.keywords[0]', reason: 'an empty keyword never matches anything' }]);
    expect(await events()).toBe(before);
  });

  it('POST /lessons/:id/variants makes a draft variant in its own stream', async () => {
    const res = await request(t.http)
      .post('/lessons/commit-format/variants')
      .set('Authorization', WRITE_AUTH)
      .send({ variantId: 'commit-format-short', title: 'Short Commits', reason: 'try a shorter rule' })
      .expect(201);
    expect(res.body).toMatchObject({ lessonId: 'commit-format-short', parentLessonId: 'commit-format', status: 'draft', category: 'workflow', title: 'Short Commits', revision: 0 });
    await request(t.http).post('/lessons/nope/variants').set('Authorization', WRITE_AUTH).send({ reason: 'r' }).expect(404);
  });

  it('GET /lessons lists the catalogue with status, category and keyword filters', async () => {
    // The read models follow the store asynchronously.
    await eventually(async () => {
      const all = await request(t.http).get('/lessons').expect(200);
      expect(all.body.items.map((l: { lessonId: string }) => l.lessonId).sort()).toEqual(['commit-format', 'commit-format-short', 'shell-quoting']);
      const archived = await request(t.http).get('/lessons?status=archived').expect(200);
      expect(archived.body.items.map((l: { lessonId: string }) => l.lessonId)).toEqual(['shell-quoting']);
      expect((await request(t.http).get('/lessons?status=active,draft&category=workflow')).body.items.map((l: { lessonId: string }) => l.lessonId).sort()).toEqual([
        'commit-format',
        'commit-format-short',
      ]);
      expect((await request(t.http).get('/lessons?keyword=PATH%20WITH%20SPACES')).body.items.map((l: { lessonId: string }) => l.lessonId)).toEqual(['shell-quoting']);
      expect((await request(t.http).get('/lessons?keyword=nothing')).body.items).toEqual([]);
      const bad = await request(t.http).get('/lessons?status=retired&colour=red').expect(400);
      expect(bad.body.problems.map((p: { field: string }) => p.field).sort()).toEqual(['colour', 'status.0']);
    });
  });

  it('GET /lessons/:id/timeline lists every change with before/after, actor, source and reason', async () => {
    // The read models follow the store asynchronously.
    await eventually(async () => {
      const res = await request(t.http).get('/lessons/shell-quoting/timeline').expect(200);
      expect(res.body.entries.map((e: { type: string }) => e.type)).toEqual(['LessonCreated', 'LessonEdited', 'LessonMatchChanged', 'LessonStatusChanged']);
      expect(res.body.entries[3]).toMatchObject({
        revision: 3,
        actor: 'token:writer',
        source: 'api',
        reason: 'no longer fires',
        decidedBy: 'policy',
        changes: [{ field: 'status', before: 'active', after: 'archived' }],
    });
    expect(res.body.entries[2].changes).toEqual([
      { field: 'match.keywords', before: ['path with spaces', 'No such file*'], after: ['path with spaces', 'No such file*', 'unexpected word'] },
      { field: 'match.tools', before: ['shell'], after: [] },
    ]);
    expect(res.body.entries[0]).not.toHaveProperty('data');
    await request(t.http).get('/lessons/nope/timeline').expect(404);
    });
  });

  it('POST /lessons/match scores the active lessons only, by gptme rules', async () => {
    // The read models follow the store asynchronously.
    await eventually(async () => {
      const res = await request(t.http).post('/lessons/match').send({ text: 'Commit message says FIXES #12 for a path with spaces' }).expect(200);
      // shell-quoting is archived and the variant is a draft: only commit-format is active
      expect(res.body).toEqual({
        activeLessons: 1,
        matches: [
          {
            lessonId: 'commit-format',
            title: 'Conventional Commits',
            category: 'workflow',
            path: null,
            revision: 1,
            score: 2,
            matchedBy: ['keyword:commit message', 'pattern:fix(es)?\\s+#\\d+'],
          },
        ],
    });
    await request(t.http).post('/lessons/match').send({ tools: ['shell'] }).expect(400);
    });
  });

  it('GET /lessons/keywords lists the keyword index', async () => {
    // The read models follow the store asynchronously.
    await eventually(async () => {
      const res = await request(t.http).get('/lessons/keywords?kind=keyword&q=commit').expect(200);
      expect(res.body.items).toEqual([
        { kind: 'keyword', term: 'commit message', lessonIds: ['commit-format', 'commit-format-short'], spellings: { 'commit-format': ['commit message'], 'commit-format-short': ['commit message'] } },
      ]);
    });
  });
});

describe('/lessons in the OpenAPI document (e2e)', () => {
  it('lists every lessons endpoint, the If-Match header and the 409/422/428 answers of PATCH', async () => {
    const t = await createLessonTestApp();
    try {
      const doc = (await request(t.http).get('/docs-json').expect(200)).body;
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining(['/lessons', '/lessons/keywords', '/lessons/match', '/lessons/{id}', '/lessons/{id}/timeline', '/lessons/{id}/variants']),
      );
      const patchOp = doc.paths['/lessons/{id}'].patch;
      expect(patchOp.security).toEqual([{ bearer: [] }]);
      expect(patchOp.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['id', 'If-Match']));
      expect(Object.keys(patchOp.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '409', '422', '428']));
      expect(doc.components.schemas.ChangeLessonBodyDto.properties).toHaveProperty('status');
    } finally {
      await t.close();
    }
  });
});
