import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../../app.module.js';
import { loadAppConfig, type AppConfig } from '../../config/app-config.js';

/** Settings for a CLI command: as for the server, but logging only warnings unless LOG_LEVEL says otherwise. */
export function loadCliConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  return loadAppConfig({ LOG_LEVEL: 'warn', ...env });
}

/**
 * Runs fn with the whole application (event store, SqlClient, read models, CommandBus/QueryBus) but no HTTP
 * server, then closes it, also when fn throws. Logs go to stderr so a command's stdout is only its output.
 *
 *   await withAppContext(async (app) => app.get(CommandBus).execute(new ImportResults(dir)));
 */
export async function withAppContext<T>(
  fn: (app: INestApplicationContext) => Promise<T>,
  config: AppConfig = loadCliConfig(),
): Promise<T> {
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, { logging: { stream: 'stderr' } }), {
    bufferLogs: true,
    autoFlushLogs: false,
    abortOnError: false,
  });
  try {
    app.useLogger(app.get(Logger));
    app.flushLogs();
    return await fn(app);
  } finally {
    await app.close();
  }
}
