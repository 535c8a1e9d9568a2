import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { BEARER_SCHEME } from '../../auth/requires-scope.decorator.js';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';

export const OPENAPI_UI_PATH = 'docs';
export const OPENAPI_JSON_PATH = '/docs-json';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('lessonloop')
    .setDescription(
      'Event-sourced backend for AI-agent eval results and prompt lessons. Write endpoints need ' +
        '`Authorization: Bearer <token>` with the `write` scope (tokens are configured hashed in ' +
        'LESSONLOOP_API_TOKENS; create one with `lessonloop tokens create`). Reads are open unless ' +
        'LESSONLOOP_REQUIRE_READ_TOKEN=true, then they need the `read` scope.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An opaque API token (ll_...), not a JWT' }, BEARER_SCHEME)
    .build();
  const requireRead = app.get<AppConfig>(APP_CONFIG, { strict: false })?.LESSONLOOP_REQUIRE_READ_TOKEN ?? false;
  return describeTokensAsTheyAre(SwaggerModule.createDocument(app, config), requireRead);
}

/**
 * @nestjs/swagger writes `bearerFormat: JWT` for every bearer scheme, but the tokens are opaque. Reads carry the
 * optional requirement `[{bearer: []}, {}]` (RequiresScope): shown open (no lock) unless reads need a token here.
 */
/** Marks the operations that need the `read` scope when LESSONLOOP_REQUIRE_READ_TOKEN is set (open otherwise). */
export const READ_SCOPE_MARK = 'x-lessonloop-scope';

export function describeTokensAsTheyAre(document: OpenAPIObject, requireRead: boolean): OpenAPIObject {
  const scheme = document.components?.securitySchemes?.[BEARER_SCHEME] as { bearerFormat?: string } | undefined;
  if (scheme) delete scheme.bearerFormat;
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as Array<{ security?: Array<Record<string, string[]>>; [READ_SCOPE_MARK]?: string }>) {
      const security = operation?.security;
      if (!Array.isArray(security) || !security.some((s) => Object.keys(s).length === 0)) continue;
      operation.security = requireRead ? security.filter((s) => Object.keys(s).length > 0) : [];
      operation[READ_SCOPE_MARK] = 'read';
    }
  }
  return document;
}

/** Serves the Swagger UI at /docs and the OpenAPI document at /docs-json. Call before app.init()/listen(). */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup(OPENAPI_UI_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    yamlDocumentUrl: '/docs-yaml',
  });
}
