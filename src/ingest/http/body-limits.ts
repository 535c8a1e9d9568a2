import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';

/** Express's default JSON limit (100 kB) is ~250 outcomes; a generated 99-test x 40-model run is ~2 MB. */
export const MAX_JSON_BODY = '32mb';

/** Raises the JSON body limit for eval runs. Call before app.init() (it replaces Nest's default JSON parser). */
export function useIngestBodyLimits(app: INestApplication): void {
  (app as NestExpressApplication).useBodyParser('json', { limit: MAX_JSON_BODY });
}
