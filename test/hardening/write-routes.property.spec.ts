/**
 * Every write route with generated input (fast-check, fixed seed): a valid payload with exactly one field broken
 * (too long for its limit, NUL, a control character in an identifier, a lone surrogate, the wrong type, the
 * outcome key too long as a whole) is a 400 naming that field, never a 500, and the event count does not move;
 * valid payloads are accepted. One app for the whole file; the count is read from the store's table.
 */
import { jest } from '@jest/globals';
import fc from 'fast-check';
import request from 'supertest';
import { LIMITS, type StringPolicy } from '../../contracts/limits.js';
import { API_TOKENS, csvRow, CURRENT_HEADER, eventCount, WRITE_AUTH } from '../ingest-http/http-test-support.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { CASES, namesField, SEED, VALID_CASES, validName, violationsOf, withField, type Violation } from './support/violations.js';

const id: StringPolicy = { maxBytes: LIMITS.identifier, identifierLike: true };
const name: StringPolicy = { maxBytes: LIMITS.name, identifierLike: true };
const text: StringPolicy = { maxBytes: LIMITS.text, identifierLike: false };
const title: StringPolicy = { maxBytes: LIMITS.title, identifierLike: false };
const body: StringPolicy = { maxBytes: LIMITS.body, identifierLike: false };
const path: StringPolicy = { maxBytes: LIMITS.path, identifierLike: true };
const test: StringPolicy = { maxBytes: LIMITS.test, identifierLike: true };

type Send = (payload: unknown) => request.Test;
jest.setTimeout(600_000);
let t: TestApp;
let serial = 0;
const next = () => `p${++serial}`;

beforeAll(async () => {
  t = await createTestApp({ env: { LESSONLOOP_API_TOKENS: API_TOKENS } });
});
afterAll(async () => {
  await t?.close();
});

/** One broken field per case: a 400 naming it, and nothing written. */
async function refusesEachViolation(send: Send, base: () => unknown, fields: Record<string, StringPolicy>): Promise<void> {
  const field = fc.constantFrom(...Object.keys(fields)).chain((f) => violationsOf(fields[f]!).map((v): [string, Violation] => [f, v]));
  await fc.assert(
    fc.asyncProperty(field, async ([f, violation]) => {
      const before = await eventCount(t);
      const res = await send(withField(base(), f, violation.value));
      expect({ field: f, kind: violation.kind, status: res.status }).toEqual({ field: f, kind: violation.kind, status: 400 });
      expect(namesField(res.body, f) ? f : res.body).toBe(f);
      expect(await eventCount(t)).toBe(before);
    }),
    { seed: SEED, numRuns: CASES },
  );
}

async function acceptsValid<T>(arbitrary: fc.Arbitrary<T>, run: (value: T) => Promise<void>, numRuns = VALID_CASES): Promise<void> {
  await fc.assert(fc.asyncProperty(arbitrary, run), { seed: SEED, numRuns });
}

const post = (url: string): Send => (payload) => request(t.http).post(url).set('Authorization', WRITE_AUTH).send(payload as object);

describe('POST /eval-runs (JSON)', () => {
  const run = () => ({ runId: next(), startedAt: '2026-06-01T00:00:00Z', outcomes: [{ model: 'm/one', toolFormat: 'tool', test: 'hello', passed: true }] });

  it('refuses one over-limit or malformed field', async () => {
    await refusesEachViolation(post('/eval-runs'), run, {
      suite: name,
      source: id,
      'outcomes.0.model': name,
      'outcomes.0.test': test,
      'outcomes.0.commitHash': id,
      'outcomes.0.logDir': path,
      'outcomes.0.cases.0.name': name,
    });
  });

  it('refuses a model + format + test over the key limit though each is within its own', async () => {
    const sizes = fc.integer({ min: LIMITS.outcomeKey - LIMITS.test - 4 + 1, max: LIMITS.name }).chain((m) =>
      fc.integer({ min: LIMITS.outcomeKey - 4 - m + 1, max: LIMITS.test }).map((n) => [m, n] as const),
    );
    await fc.assert(
      fc.asyncProperty(sizes, async ([m, n]) => {
        const before = await eventCount(t);
        const payload = withField(withField(run(), 'outcomes.0.model', 'm'.repeat(m)), 'outcomes.0.test', 't'.repeat(n));
        const res = await post('/eval-runs')(payload);
        expect(res.status).toBe(400);
        expect(res.body.problems).toEqual([expect.objectContaining({ row: 0, field: 'test', reason: expect.stringContaining(`${LIMITS.outcomeKey} bytes`) })]);
        expect(await eventCount(t)).toBe(before);
      }),
      { seed: SEED, numRuns: CASES },
    );
  });

  it('accepts valid names up to the limits', async () => {
    await acceptsValid(fc.tuple(validName, validName), async ([model, testName]) => {
      const res = await post('/eval-runs')(withField(withField(run(), 'outcomes.0.model', model), 'outcomes.0.test', testName));
      expect(res.status).toBe(201);
    });
  });
});

describe('POST /eval-runs/csv', () => {
  const columns = CURRENT_HEADER.split(',');
  const defaults = Object.fromEntries(csvRow().split(',').map((cell, i) => [columns[i]!, cell]));
  const quote = (cell: string) => `"${cell.replace(/"/g, '""')}"`;
  const csv = (cells: Record<string, string>) => {
    const row: Record<string, string> = { ...defaults, ...cells };
    return `${CURRENT_HEADER}\n${columns.map((c) => quote(row[c]!)).join(',')}\n`;
  };
  const send = (body: string, query: Record<string, string> = {}) =>
    request(t.http).post('/eval-runs/csv').query({ runId: next(), startedAt: '2026-06-01T00:00:00Z', ...query }).set('Authorization', WRITE_AUTH).set('Content-Type', 'text/csv').send(body);
  const cells: Record<string, StringPolicy> = { Model: name, Test: test, 'Commit Hash': id, 'Log Dir': path, 'Workspace Dir': path };
  const params: Record<string, StringPolicy> = { suite: name, source: id };

  it('refuses one over-limit or malformed cell or query parameter', async () => {
    const where = fc.constantFrom(...Object.keys(cells), ...Object.keys(params));
    // A URL carries UTF-8 bytes: a lone surrogate cannot reach a query parameter (it arrives as U+FFFD).
    const broken = where
      .chain((f) => violationsOf(cells[f] ?? params[f]!, false).map((v): [string, Violation] => [f, v]))
      .filter(([f, v]) => f in cells || v.kind !== 'lone surrogate');
    await fc.assert(
      fc.asyncProperty(broken, async ([f, violation]) => {
        const before = await eventCount(t);
        const value = violation.value as string;
        const res = f in cells ? await send(csv({ [f]: value })) : await send(csv({}), { [f]: value });
        expect({ f, kind: violation.kind, status: res.status }).toEqual({ f, kind: violation.kind, status: 400 });
        expect(res.body.problems.map((p: { field: string }) => p.field)).toContain(f);
        expect(await eventCount(t)).toBe(before);
      }),
      { seed: SEED, numRuns: CASES },
    );
  });

  it('refuses an unknown query parameter, writing nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[a-z][a-zA-Z]{0,12}$/).filter((k) => !['runId', 'startedAt', 'suite', 'source'].includes(k)), async (key) => {
        const before = await eventCount(t);
        const res = await send(csv({}), { [key]: '1' });
        expect(res.status).toBe(400);
        expect(res.body.problems).toEqual([{ field: key, reason: 'unknown query parameter' }]);
        expect(await eventCount(t)).toBe(before);
      }),
      { seed: SEED, numRuns: 50 },
    );
  });

  it('accepts valid cells', async () => {
    await acceptsValid(fc.tuple(validName, validName), async ([model, testName]) => {
      expect((await send(csv({ Model: model, Test: testName }))).status).toBe(201);
    });
  });
});

describe('POST /lessons, PATCH /lessons/:id, POST /lessons/:id/variants', () => {
  const lesson = () => ({ lessonId: next(), title: 'A title', category: 'tools', body: '# A title\n\nDo it.', match: { keywords: ['deploy'] } });

  it('POST refuses one over-limit or malformed field', async () => {
    await refusesEachViolation(post('/lessons'), lesson, {
      title,
      category: name,
      body,
      description: text,
      path,
      confoundNote: text,
      reason: text,
      'match.keywords.0': name,
      'match.tools.0': name,
      'match.sessionCategories.0': name,
    });
  });

  it('POST refuses frontmatter kept verbatim over its limit', async () => {
    const before = await eventCount(t);
    const res = await post('/lessons')({ ...lesson(), extraFrontmatter: { notes: 'x'.repeat(LIMITS.json) } });
    expect(res.status).toBe(400);
    expect(namesField(res.body, 'extraFrontmatter')).toBe(true);
    expect(await eventCount(t)).toBe(before);
  });

  it('PATCH and variants refuse one over-limit or malformed field; valid edits are accepted', async () => {
    const created = lesson();
    await post('/lessons')(created).expect(201);
    let revision = 0;
    const patch: Send = (payload) => request(t.http).patch(`/lessons/${created.lessonId}`).set('Authorization', WRITE_AUTH).set('If-Match', `"${revision}"`).send(payload as object);
    await refusesEachViolation(patch, () => ({ title: 'Another title' }), {
      title,
      description: text,
      body,
      category: name,
      confoundNote: text,
      reason: text,
      'match.add.keywords.0': name,
      'status.reason': text,
    });
    await refusesEachViolation(post(`/lessons/${created.lessonId}/variants`), () => ({ reason: 'try a shorter rule', title: 'Variant' }), {
      reason: text,
      title,
      body,
      'match.keywords.0': name,
    });
    await acceptsValid(validName, async (newTitle) => {
      const res = await patch({ title: `${newTitle} ${revision}` });
      expect(res.status).toBe(200);
      revision = Number(JSON.parse(res.headers.etag as string));
    });
  });
});

describe('POST /external-changes', () => {
  const change = () => ({ changeId: next(), kind: 'model-api', subject: 'openai/gpt-4o', description: 'provider update', occurredAt: '2026-06-01T00:00:00Z' });

  it('refuses one over-limit or malformed field; accepts valid ones', async () => {
    await refusesEachViolation(post('/external-changes'), change, { subject: name, description: text });
    await acceptsValid(validName, async (subject) => {
      expect((await post('/external-changes')({ ...change(), subject })).status).toBe(201);
    });
  });
});

describe('POST /rule-sets', () => {
  it('refuses one over-limit or malformed field; accepts valid ones', async () => {
    await refusesEachViolation(post('/rule-sets'), () => ({ ruleSetId: next(), name: 'wide', parameters: {} }), {
      ruleSetId: id,
      name,
      basedOn: id,
      description: text,
    });
    await acceptsValid(validName, async (ruleSetName) => {
      expect((await post('/rule-sets')({ ruleSetId: next(), name: ruleSetName, parameters: {} })).status).toBe(201);
    }, 5);
  });
});

describe('POST /sessions/:sessionId/lesson-selection and /outcome', () => {
  it('refuse one over-limit or malformed field; valid selections and rewards are accepted', async () => {
    await refusesEachViolation((p) => post(`/sessions/${next()}/lesson-selection`)(p), () => ({ text: 'the deploy failed' }), {
      text: body,
      model: name,
      category: name,
      seed: id,
      'tools.0': name,
    });
    await refusesEachViolation((p) => post(`/sessions/${next()}/outcome`)(p), () => ({ reward: 1 }), {
      'evalOutcomeIds.0': id,
      'evalOutcomes.0.runId': id,
      'evalOutcomes.0.test': test,
      'evalOutcomes.0.model': name,
    });
    await acceptsValid(fc.tuple(validName, fc.double({ min: 0, max: 1, noNaN: true })), async ([sessionText, reward]) => {
      const session = next();
      expect((await post(`/sessions/${session}/lesson-selection`)({ text: sessionText })).status).toBe(201);
      expect((await post(`/sessions/${session}/outcome`)({ reward })).status).toBe(201);
    }, 5);
  });
});

describe('path parameters of write routes', () => {
  it('a NUL, control character or lone surrogate in a path parameter is a 400 naming it, nothing written', async () => {
    const routes: Array<[string, (p: string) => request.Test, string]> = [
      ['sessionId', (p) => request(t.http).post(`/sessions/${p}/lesson-selection`).send({ text: 'x' }), 'sessionId'],
      ['sessionId', (p) => request(t.http).post(`/sessions/${p}/outcome`).send({ reward: 1 }), 'sessionId'],
      ['id', (p) => request(t.http).patch(`/lessons/${p}`).set('If-Match', '"0"').send({ title: 'x' }), 'id'],
      ['id', (p) => request(t.http).post(`/lessons/${p}/variants`).send({ reason: 'x' }), 'id'],
      ['name', (p) => request(t.http).post(`/projections/${p}/rebuild`).send({}), 'name'],
      ['instanceId', (p) => request(t.http).post(`/projections/instances/${p}/retry`).send({}), 'instanceId'],
      ['instanceId', (p) => request(t.http).delete(`/projections/instances/${p}`), 'instanceId'],
    ];
    const bad = fc.tuple(fc.constantFrom(...routes.keys()), fc.stringMatching(/^[a-z]{1,6}$/), fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f })));
    await fc.assert(
      fc.asyncProperty(bad, async ([i, word, code]) => {
        const [, send, field] = routes[i]!;
        const before = await eventCount(t);
        const res = await send(encodeURIComponent(`${word}${String.fromCharCode(code)}`)).set('Authorization', WRITE_AUTH);
        expect(res.status).toBe(400);
        expect(res.body.problems).toEqual([expect.objectContaining({ field })]);
        expect(await eventCount(t)).toBe(before);
      }),
      { seed: SEED, numRuns: CASES },
    );
  });
});
