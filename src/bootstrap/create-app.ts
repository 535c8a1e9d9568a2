import net from 'node:net';
import type { NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { recordServerUrl } from '../database/directory-lock.js';
import { pgliteDataDir } from '../database/open-database.js';
import { QuietStartupLogger } from '../logging/quiet-startup-logger.js';
import { describeListen } from './listen-address.js';
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
    app.useLogger(new QuietStartupLogger(app.get(Logger)));
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

/** createApp, then listen on LESSONLOOP_HOST (default every interface) and PORT (0 picks a free one). */
export async function startServer(config: AppConfig = loadAppConfig(), options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const app = await createApp(config, options);
  const host = config.LESSONLOOP_HOST ?? (await everyInterface());
  try {
    await app.listen(config.PORT, host);
  } catch (error) {
    await app.close().catch(() => undefined);
    throw listenError(error, config);
  }
  const listening = describeListen(app.getHttpServer().address(), host);
  if (!config.DATABASE_URL) await recordServerUrl(pgliteDataDir(config), listening.localUrl);
  app.get(Logger).log(`lessonloop ${listening.line}`, 'Bootstrap');
  return app;
}

/** The server could not start for a reason the operator can fix (the port is taken or not allowed). */
export class ServerStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServerStartError';
  }
}

/**
 * What Node's own server listens on without a host (Fastify's default is localhost only): `::`, which takes IPv4
 * too, or `0.0.0.0` on a machine with IPv6 turned off.
 */
async function everyInterface(): Promise<string> {
  const probe = net.createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve('0.0.0.0'));
    probe.listen(0, '::', () => probe.close(() => resolve('::')));
  });
}

function listenError(error: unknown, config: AppConfig): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const { PORT: port, LESSONLOOP_HOST: host } = config;
  if (code === 'EADDRINUSE') return new ServerStartError(`Port ${port} is already in use; set PORT (or --port) to another one`, { cause: error });
  if (code === 'EACCES') return new ServerStartError(`Not allowed to listen on port ${port}; use a port above 1023`, { cause: error });
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ServerStartError(
      `LESSONLOOP_HOST=${host} is not an address of this machine; set it to one of its addresses, or unset it to listen on every interface`,
      { cause: error },
    );
  }
  return error;
}
