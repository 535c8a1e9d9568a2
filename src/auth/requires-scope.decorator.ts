import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Scope } from './scopes.js';

export const REQUIRED_SCOPE = 'lessonloop:required-scope';
/** Name of the bearer security scheme in the OpenAPI document. */
export const BEARER_SCHEME = 'bearer';

/**
 * Marks an endpoint as needing a bearer token with `scope`. `read` endpoints are open unless
 * LESSONLOOP_REQUIRE_READ_TOKEN is true; `write` endpoints always need a token.
 */
export function RequiresScope(scope: Scope): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(REQUIRED_SCOPE, scope),
    ApiBearerAuth(BEARER_SCHEME),
    // Reads are open by default: in OpenAPI, an empty requirement makes the bearer token optional.
    ...(scope === 'read' ? [ApiSecurity({})] : []),
    ApiUnauthorizedResponse({
      description:
        scope === 'write'
          ? 'No bearer token, an unknown token, or no tokens configured on the server'
          : 'No or unknown bearer token (only when LESSONLOOP_REQUIRE_READ_TOKEN=true)',
    }),
    ApiForbiddenResponse({ description: `The token does not have the \`${scope}\` scope` }),
  );
}
