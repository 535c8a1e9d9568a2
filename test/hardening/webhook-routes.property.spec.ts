/**
 * POST /webhooks with generated input (fast-check, fixed seed), as write-routes.property.spec.ts does for the
 * other write routes: one broken field is a 400 naming it with nothing written; valid subscriptions are accepted.
 */
import { jest } from '@jest/globals';
import fc from 'fast-check';
import request from 'supertest';
import { LIMITS, type StringPolicy } from '../../contracts/limits.js';
import { API_TOKENS, eventCount, WRITE_AUTH } from '../ingest-http/http-test-support.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { CASES, namesField, SEED, VALID_CASES, validName, violationsOf, withField, type Violation } from './support/violations.js';

jest.setTimeout(600_000);
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    env: { LESSONLOOP_API_TOKENS: API_TOKENS, LESSONLOOP_WEBHOOK_SECRET: 'property-test-secret-0123', LESSONLOOP_RUN_PROJECTIONS: 'never' },
  });
});
afterAll(async () => {
  await t?.close();
});

const subscription = () => ({ subscriptionId: 'ops', url: 'https://hooks.example.com/ll', eventTypes: ['LessonStatusChanged'], description: 'ops' });
const post = (payload: unknown) => request(t.http).post('/webhooks').set('Authorization', WRITE_AUTH).send(payload as object);
const fields: Record<string, StringPolicy> = {
  subscriptionId: { maxBytes: LIMITS.identifier, identifierLike: true },
  url: { maxBytes: LIMITS.path, identifierLike: true },
  'eventTypes.0': { maxBytes: LIMITS.identifier, identifierLike: true },
  description: { maxBytes: LIMITS.text, identifierLike: false },
};

describe('POST /webhooks', () => {
  it('refuses one over-limit or malformed field, naming it, with nothing written', async () => {
    const field = fc.constantFrom(...Object.keys(fields)).chain((f) => violationsOf(fields[f]!).map((v): [string, Violation] => [f, v]));
    await fc.assert(
      fc.asyncProperty(field, async ([f, violation]) => {
        const before = await eventCount(t);
        const res = await post(withField(subscription(), f, violation.value));
        expect({ field: f, kind: violation.kind, status: res.status }).toEqual({ field: f, kind: violation.kind, status: 400 });
        expect(namesField(res.body, f) ? f : res.body).toBe(f);
        expect(await eventCount(t)).toBe(before);
      }),
      { seed: SEED, numRuns: CASES },
    );
  });

  it('accepts valid subscription ids and descriptions', async () => {
    await fc.assert(
      fc.asyncProperty(validName, validName, async (id, description) => {
        const res = await post({ ...subscription(), subscriptionId: `${id}-${Math.random()}`, description });
        expect(res.status).toBe(201);
      }),
      { seed: SEED, numRuns: VALID_CASES },
    );
  });
});
