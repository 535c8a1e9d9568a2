import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { BEARER_SCHEME } from '../../auth/requires-scope.decorator.js';

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
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API token (ll_...)' }, BEARER_SCHEME)
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Serves the Swagger UI at /docs and the OpenAPI document at /docs-json. Call before app.init()/listen(). */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup(OPENAPI_UI_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    yamlDocumentUrl: '/docs-yaml',
  });
}
