import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('OpenAPI (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('/docs-json lists every endpoint with the bearer scheme on the protected ones', async () => {
    const res = await request(t.http).get('/docs-json').expect(200);
    const doc = res.body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/health', '/eval-runs', '/eval-runs/csv', '/eval-runs/{runId}', '/external-changes', '/projections']),
    );
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.bearer).not.toHaveProperty('bearerFormat');
    expect(doc.paths['/eval-runs'].post.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(doc.paths['/eval-runs'].post.responses).sort()).toEqual(['200', '201', '400', '401', '403', '409']);
    expect(doc.paths['/eval-runs/csv'].post.requestBody.content).toHaveProperty(['text/csv']);
    expect(doc.paths['/eval-runs/csv'].post.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['runId', 'startedAt']),
    );
    expect(doc.components.schemas.EvalOutcomeBodyDto.properties).toHaveProperty('tokensInput');
    expect(doc.components.schemas.RunProblemDto.properties).toHaveProperty('row');
    expect(doc.paths['/external-changes'].post.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/eval-runs'].get.security).toEqual([]);
    expect(doc.paths['/eval-runs'].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['cursor', 'from', 'limit', 'model', 'to']);
  });

  it('/docs serves the Swagger UI', async () => {
    const res = await request(t.http).get('/docs').redirects(1);
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger');
  });
});
