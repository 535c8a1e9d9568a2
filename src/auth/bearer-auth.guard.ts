import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { REQUIRED_SCOPE } from './requires-scope.decorator.js';
import type { Scope } from './scopes.js';
import type { AuthenticatedToken } from './token-registry.js';
import { TokenRegistry } from './token-registry.js';

interface HttpRequestLike {
  headers: Record<string, string | string[] | undefined>;
  auth?: AuthenticatedToken;
}
interface HttpResponseLike {
  header(name: string, value: string): unknown;
}

export const NO_TOKENS_CONFIGURED =
  'No API tokens are configured, so write endpoints are disabled. Create one with ' +
  '`lessonloop tokens create <name> --scopes read,write`, keep the printed token secret, and add the printed ' +
  'entry to LESSONLOOP_API_TOKENS (or to the file named by LESSONLOOP_API_TOKENS_FILE), then restart.';

/**
 * Enforces @RequiresScope on HTTP endpoints; endpoints without it are not touched. Runs before any handler,
 * so a refused request writes nothing. Never logs or echoes the presented token.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly registry: TokenRegistry,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const scope = this.reflector.getAllAndOverride<Scope | undefined>(REQUIRED_SCOPE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (scope === undefined) return true;
    if (scope === 'read' && !this.registry.readRequiresToken) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<HttpRequestLike>();
    const response = http.getResponse<HttpResponseLike>();
    const challenge = (extra = '') => response.header('WWW-Authenticate', `Bearer realm="lessonloop"${extra}`);

    if (this.registry.isEmpty) {
      challenge();
      throw new UnauthorizedException(NO_TOKENS_CONFIGURED);
    }
    const presented = bearerToken(request.headers.authorization);
    if (presented === null) {
      challenge();
      throw new UnauthorizedException(`This endpoint needs an Authorization: Bearer <token> header with the ${scope} scope`);
    }
    const token = this.registry.authenticate(presented);
    if (token === null) {
      challenge(', error="invalid_token"');
      throw new UnauthorizedException('The bearer token is not one of the configured API tokens');
    }
    if (!token.scopes.has(scope)) {
      challenge(`, error="insufficient_scope", scope="${scope}"`);
      throw new ForbiddenException(`Token ${token.name} does not have the ${scope} scope`);
    }
    request.auth = token;
    return true;
  }
}

function bearerToken(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value?.match(/^Bearer[ ]+(\S+)\s*$/i);
  return match?.[1] ?? null;
}
