import { Controller, Get, Global, Module, Post } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createHttpAdapter } from '../../src/bootstrap/http-adapter.js';
import request from 'supertest';
import { AuthModule } from '../../src/auth/auth.module.js';
import { RequiresScope } from '../../src/auth/requires-scope.decorator.js';
import { hashToken } from '../../src/auth/token-hash.js';
import { APP_CONFIG, loadAppConfig } from '../../src/config/app-config.js';

let writes = 0;

@Controller('things')
class ThingsController {
  @Post()
  @RequiresScope('write')
  create() {
    writes += 1;
    return { ok: true };
  }

  @Get()
  @RequiresScope('read')
  list() {
    return { writes };
  }

  @Get('open')
  open() {
    return { open: true };
  }
}

async function appWith(env: Record<string, string>): Promise<INestApplication> {
  @Global()
  @Module({ providers: [{ provide: APP_CONFIG, useValue: loadAppConfig(env) }], exports: [APP_CONFIG] })
  class ConfigStub {}
  const ref = await Test.createTestingModule({ imports: [ConfigStub, AuthModule], controllers: [ThingsController] }).compile();
  const app = ref.createNestApplication(createHttpAdapter(), { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

const TOKENS = `writer:read,write:${hashToken('w-secret')};reader:read:${hashToken('r-secret')}`;

describe('BearerAuthGuard', () => {
  let app: INestApplication;
  beforeEach(() => {
    writes = 0;
  });
  afterEach(async () => {
    await app?.close();
  });

  it('refuses writes without a token (401 + challenge), writing nothing', async () => {
    app = await appWith({ LESSONLOOP_API_TOKENS: TOKENS });
    const res = await request(app.getHttpServer()).post('/things');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="lessonloop"');
    expect(writes).toBe(0);
  });

  it('refuses an unknown token with 401 invalid_token', async () => {
    app = await appWith({ LESSONLOOP_API_TOKENS: TOKENS });
    const res = await request(app.getHttpServer()).post('/things').set('Authorization', 'Bearer nope');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(JSON.stringify(res.body)).not.toContain('nope');
    expect(writes).toBe(0);
  });

  it('refuses a read-only token with 403 insufficient_scope', async () => {
    app = await appWith({ LESSONLOOP_API_TOKENS: TOKENS });
    const res = await request(app.getHttpServer()).post('/things').set('Authorization', 'Bearer r-secret');
    expect(res.status).toBe(403);
    expect(res.body.message).toBe('Token reader does not have the write scope');
    expect(res.headers['www-authenticate']).toContain('error="insufficient_scope", scope="write"');
    expect(writes).toBe(0);
  });

  it('lets a write token through (scheme is case-insensitive)', async () => {
    app = await appWith({ LESSONLOOP_API_TOKENS: TOKENS });
    const res = await request(app.getHttpServer()).post('/things').set('Authorization', 'bearer w-secret');
    expect(res.status).toBe(201);
    expect(writes).toBe(1);
  });

  it('keeps reads open by default', async () => {
    app = await appWith({ LESSONLOOP_API_TOKENS: TOKENS });
    await request(app.getHttpServer()).get('/things').expect(200);
  });

  it('requires the read scope on reads when LESSONLOOP_REQUIRE_READ_TOKEN=true, not on unmarked routes', async () => {
    app = await appWith({ LESSONLOOP_API_TOKENS: TOKENS, LESSONLOOP_REQUIRE_READ_TOKEN: 'true' });
    const http = app.getHttpServer();
    await request(http).get('/things').expect(401);
    await request(http).get('/things').set('Authorization', 'Bearer r-secret').expect(200);
    await request(http).get('/things/open').expect(200);
  });

  it('with no tokens configured, refuses writes with 401 saying how to configure one', async () => {
    app = await appWith({});
    const res = await request(app.getHttpServer()).post('/things').set('Authorization', 'Bearer w-secret');
    expect(res.status).toBe(401);
    expect(res.body.message).toContain('No API tokens are configured');
    expect(res.body.message).toContain('lessonloop tokens create');
    expect(res.body.message).toContain('LESSONLOOP_API_TOKENS');
    expect(writes).toBe(0);
    await request(app.getHttpServer()).get('/things').expect(200);
  });
});
