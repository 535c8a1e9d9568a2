import type { INestApplication } from '@nestjs/common';
import { useIngestBodyLimits } from '../ingest/http/body-limits.js';
import { setupOpenApi } from '../ingest/http/openapi.js';

/**
 * Things done to every HTTP application after it is built and before it starts (global pipes, OpenAPI...),
 * in order. Add one line per step. Nothing here runs for CLI commands (withAppContext has no HTTP).
 */
export const HTTP_SETUP: Array<(app: INestApplication) => void> = [
  useIngestBodyLimits,
  setupOpenApi,
];
