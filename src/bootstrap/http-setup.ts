import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { readJsonBodies } from '../ingest/http/json-body.js';
import { leaveOtherBodiesUnread } from '../ingest/http/raw-body-types.js';
import { setupOpenApi } from '../ingest/http/openapi.js';
import { StreamConflictFilter } from '../common/commands/stream-conflict.filter.js';
import { answerConditionalGets } from './conditional-get.js';
import { answerDatabaseTrouble } from './database-trouble.filter.js';
import { EventValidationFilter } from './event-validation.filter.js';
import { observeRequests } from './observe-requests.js';
import { RequestInputInterceptor } from './request-input.interceptor.js';

/**
 * Things done to every HTTP application after it is built and before it starts (body parsers, hooks,
 * OpenAPI...), in order. Add one line per step. Nothing here runs for CLI commands (withAppContext has no HTTP).
 */
export const HTTP_SETUP: Array<(app: NestFastifyApplication) => void> = [
  observeRequests,
  readJsonBodies,
  (app) => app.useGlobalInterceptors(new RequestInputInterceptor()),
  (app) => app.useGlobalFilters(new EventValidationFilter()),
  leaveOtherBodiesUnread,
  answerConditionalGets,
  answerDatabaseTrouble,
  setupOpenApi,
  (app) => app.useGlobalFilters(new StreamConflictFilter()),
];
