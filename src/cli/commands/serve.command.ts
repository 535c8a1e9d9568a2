import type { Command } from 'commander';
import { startServer } from '../../bootstrap/create-app.js';
import { loadAppConfig, type AppConfig } from '../../config/app-config.js';

/** `lessonloop serve [--port <n>]`: the HTTP API until SIGINT/SIGTERM, then a clean shutdown. */
export function register(program: Command, start: (config: AppConfig) => Promise<unknown> = startServer): void {
  program
    .command('serve')
    .description('start the HTTP API (GET /health); with no DATABASE_URL it runs on an embedded database under LESSONLOOP_DATA_DIR')
    .option('-p, --port <port>', 'port to listen on (overrides PORT; 0 picks a free one)')
    .action(async (options: { port?: string }) => {
      const env = options.port === undefined ? process.env : { ...process.env, PORT: options.port };
      await start(loadAppConfig(env));
    });
}
