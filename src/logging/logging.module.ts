import type { IncomingMessage, ServerResponse } from 'node:http';
import { Module, RequestMethod, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { prettyDestination } from './pretty-destination.js';
import { REDACTED_PATHS, REDACTION_CENSOR } from './redaction.js';
import { requestPath } from './request-id.js';
import { requestLineSerializers, requestMessage } from './request-line.js';

export interface LoggingOptions {
  /** `stdout` for the HTTP server; `stderr` for CLI commands, whose stdout is their output. */
  stream?: 'stdout' | 'stderr';
  /** Overrides `stream` (tests capture the log lines with it). */
  destination?: pino.DestinationStream;
  /** `pretty`: short lines for a terminal; `json`: one JSON object per line. Default: pretty when the stream is a TTY. */
  format?: 'json' | 'pretty';
}

/** The sink for log lines: the test's destination, else stdout/stderr as JSON, or pretty lines when a person reads them. */
function destinationFor(options: LoggingOptions, configured: AppConfig['LOG_FORMAT']): pino.DestinationStream {
  if (options.destination) return options.destination;
  const out = options.stream === 'stderr' ? process.stderr : process.stdout;
  const format = configured ?? options.format ?? (out.isTTY ? 'pretty' : 'json');
  if (format === 'pretty') return prettyDestination(out);
  return pino.destination({ dest: options.stream === 'stderr' ? 2 : 1, sync: true });
}

/**
 * Levels at which pino-http's request lines (info) are never written: its per-request child logger would be built
 * and thrown away on every request (about a sixth of a cached read's CPU), so the middleware is mounted on no route.
 */
const REQUEST_LINES_HIDDEN = new Set(['warn', 'error', 'fatal', 'silent']);
const NO_ROUTE = '/__lessonloop_request_logging_off__';

/** Paths probed every few seconds; logging each request would drown the rest. */
const QUIET_PATHS = new Set(['/health']);

/** Structured logs (pino) for Nest's Logger and one short line per HTTP request, with secrets redacted. */
@Module({})
export class LoggingModule {
  static forRoot(options: LoggingOptions = {}): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            ...(REQUEST_LINES_HIDDEN.has(config.LOG_LEVEL) ? { forRoutes: [{ path: NO_ROUTE, method: RequestMethod.GET }] } : {}),
            pinoHttp: [
              {
                level: config.LOG_LEVEL,
                base: { service: 'lessonloop' },
                redact: { paths: REDACTED_PATHS, censor: REDACTION_CENSOR },
                autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.has(requestPath(req)) },
                serializers: requestLineSerializers,
                customSuccessMessage: requestMessage,
                customErrorMessage: (req: IncomingMessage, res: ServerResponse) => requestMessage(req, res),
              },
              destinationFor(options, config.LOG_FORMAT),
            ],
          }),
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
