import type { NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../app.module.js';
import { loadAppConfig, type AppConfig } from '../config/app-config.js';
import type { LoggingOptions } from '../logging/logging.module.js';
import { createHttpAdapter } from './http-adapter.js';
import { HTTP_SETUP } from './http-setup.js';

export interface CreateAppOptions {
  /** Stop cleanly on SIGINT/SIGTERM (close HTTP, the event store, the database). Default true. */
  shutdownHooks?: boolean;
  /** Where the JSON log lines go; default stdout. */
  logDestination?: LoggingOptions['destination'];
}

/**
 * Startup errors are thrown to the caller, never printed by Nest: logs are buffered until the app is built
 * and then go to pino, so a failed start leaves the reporting to the CLI (one clear message) rather than
 * a Nest stack trace. abortOnError: false, or Nest would abort the process on a startup error.
 */
export const NEST_APP_OPTIONS: NestApplicationOptions = { bufferLogs: true, autoFlushLogs: false, abortOnError: false };

export function appModuleFor(config: AppConfig, options: CreateAppOptions = {}) {
  return AppModule.forRoot(config, { logging: { stream: 'stdout', destination: options.logDestination } });
}

/** Builds and initializes the HTTP application (not yet listening). */
export async function createApp(config: AppConfig = loadAppConfig(), options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(appModuleFor(config, options), createHttpAdapter(), NEST_APP_OPTIONS);
  return initializeApp(app, options);
}

/**
 * What every HTTP application gets after it is built (createApp, and createTestApp in test/support). Fastify is
 * made ready here, so `app.getHttpServer()` answers (supertest) before `listen`.
 */
export async function initializeApp(app: NestFastifyApplication, options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  try {
    app.useLogger(app.get(Logger));
    app.flushLogs();
    if (options.shutdownHooks ?? true) app.enableShutdownHooks();
    for (const setup of HTTP_SETUP) setup(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return app;
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
}

/** createApp, then listen on HOST:PORT (port 0 picks a free one). */
export async function startServer(config: AppConfig = loadAppConfig(), options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const app = await createApp(config, options);
  try {
    await app.listen(config.PORT, config.HOST);
  } catch (error) {
    await app.close().catch(() => undefined);
    throw listenError(error, config.PORT);
  }
  app.get(Logger).log(`lessonloop listening on ${await app.getUrl()}`, 'Bootstrap');
  return app;
}

/** The server could not start for a reason the operator can fix (the port is taken or not allowed). */
export class ServerStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServerStartError';
  }
}

function listenError(error: unknown, port: number): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EADDRINUSE') return new ServerStartError(`Port ${port} is already in use; set PORT (or --port) to another one`, { cause: error });
  if (code === 'EACCES') return new ServerStartError(`Not allowed to listen on port ${port}; use a port above 1023`, { cause: error });
  if (code === 'EADDRNOTAVAIL') return new ServerStartError(`HOST is not an address of this machine; set HOST to one (0.0.0.0 = every IPv4 interface)`, { cause: error });
  return error;
}
