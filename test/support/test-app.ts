/**
 * The whole application for e2e tests, on the test-database convention (test-database.ts): an in-memory
 * PGlite from the migrated template, or a fresh PostgreSQL database when DATABASE_URL is set.
 *
 *   const t = await createTestApp();
 *   await request(t.http).get('/health').expect(200);
 *   await t.close();
 *
 * Logs are silent unless TEST_LOG_LEVEL is set (e.g. TEST_LOG_LEVEL=debug).
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import type { Server } from 'node:http';
import type { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { appModuleFor, initializeApp, NEST_APP_OPTIONS, type CreateAppOptions } from '../../src/bootstrap/create-app.js';
import { createHttpAdapter } from '../../src/bootstrap/http-adapter.js';
import { loadAppConfig, type AppConfig } from '../../src/config/app-config.js';
import { SQL_CLIENT, type SqlClient } from '../../src/database/sql-client.js';
import { EVENT_STORE, type EventStore } from '../../src/event-store/event-store.port.js';
import { openTestDatabase } from './test-database.js';

export interface TestApp {
  app: NestFastifyApplication;
  /** The HTTP server for supertest: `request(t.http)`. */
  http: Server;
  config: AppConfig;
  sql: SqlClient;
  store: EventStore;
  dataSource: DataSource;
  /** Closes the app, then the database (dropping it on PostgreSQL). Safe to call twice. */
  close(): Promise<void>;
}

export interface TestAppOptions extends Pick<CreateAppOptions, 'logDestination'> {
  /** Extra settings (strings, as in the environment), e.g. LESSONLOOP_API_TOKENS. */
  env?: Record<string, string>;
  /** Replace providers before the app is built: `(b) => b.overrideProvider(CLOCK).useValue(fakeClock)`. */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = await openTestDatabase();
  try {
    const config = loadAppConfig({
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      LESSONLOOP_DATA_DIR: 'memory://',
      PORT: '0',
      ...(db.sql.kind === 'postgres' ? { DATABASE_URL: await databaseUrlOf(db.sql) } : {}),
      ...options.env,
    });
    const builder = Test.createTestingModule({ imports: [appModuleFor(config, options)] }).overrideProvider(SQL_CLIENT).useValue(db.sql);
    const moduleRef = await (options.override ? options.override(builder) : builder).compile();
    const app = await initializeApp(moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(), NEST_APP_OPTIONS), {
      ...options,
      shutdownHooks: false,
    });
    let closed = false;
    return {
      app,
      http: app.getHttpServer() as Server,
      config,
      sql: db.sql,
      store: app.get<EventStore>(EVENT_STORE),
      dataSource: app.get<DataSource>(getDataSourceToken()),
      async close() {
        if (closed) return;
        closed = true;
        try {
          await app.close();
        } finally {
          await db.close();
        }
      },
    };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}

/** The URL of the fresh database test-database.ts created: DATABASE_URL with its database name swapped. */
async function databaseUrlOf(sql: SqlClient): Promise<string> {
  const { rows } = await sql.query<{ name: string }>('SELECT current_database() AS name');
  const url = new URL(process.env.DATABASE_URL!.trim());
  url.pathname = `/${rows[0]!.name}`;
  return url.toString();
}
