/**
 * Path parameters and query strings checked once for every route, before any handler reads them:
 *  - no value (or query key) holds U+0000 or a lone surrogate (PostgreSQL refuses them: that was a 500), and
 *    path parameters, which are identifiers, hold no control character either;
 *  - a query parameter the route does not take is refused. Routes that take the whole query (`@Query()`)
 *    parse it with a strict schema of their own; routes that take named ones (`@Query('runId')`) or none get
 *    it checked here, so `POST /eval-runs/csv?runld=...` is a 400 like a typo on any read.
 * Each refusal is a 400 in the usual shape, with `problems: [{field, reason}]`, before anything is written.
 */
import {
  BadRequestException,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { Observable } from 'rxjs';
import { characterProblem } from '../../contracts/limits.js';

export interface InputProblem {
  field: string;
  reason: string;
}

/** The query parameter names a handler takes by name; null when it takes the whole query object. */
export function namedQueryParameters(controller: object, handlerName: string): ReadonlySet<string> | null {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handlerName) ?? {}) as Record<string, { data?: unknown }>;
  const names = new Set<string>();
  for (const [key, arg] of Object.entries(args)) {
    if (Number(key.split(':')[0]) !== RouteParamtypes.QUERY) continue;
    if (typeof arg.data !== 'string') return null;
    names.add(arg.data);
  }
  return names;
}

function valuesOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

export function requestInputProblems(
  params: Record<string, unknown>,
  query: Record<string, unknown>,
  allowedQuery: ReadonlySet<string> | null,
): InputProblem[] {
  const problems: InputProblem[] = [];
  for (const [name, value] of Object.entries(params)) {
    for (const text of valuesOf(value)) {
      const reason = characterProblem(text, true);
      if (reason) problems.push({ field: name, reason: `(path parameter) ${reason}` });
    }
  }
  for (const [name, value] of Object.entries(query)) {
    const keyReason = characterProblem(name, true);
    if (keyReason) {
      problems.push({ field: JSON.stringify(name), reason: `(query parameter name) ${keyReason}` });
      continue;
    }
    if (allowedQuery && !allowedQuery.has(name)) {
      problems.push({ field: name, reason: 'unknown query parameter' });
      continue;
    }
    for (const text of valuesOf(value)) {
      const reason = characterProblem(text, false);
      if (reason) problems.push({ field: name, reason: `(query parameter) ${reason}` });
    }
  }
  return problems;
}

@Injectable()
export class RequestInputInterceptor implements NestInterceptor {
  private readonly allowed = new WeakMap<object, ReadonlySet<string> | null>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<{ params?: Record<string, unknown>; query?: Record<string, unknown> }>();
    const handler = context.getHandler();
    let allowedQuery = this.allowed.get(handler);
    if (allowedQuery === undefined) {
      allowedQuery = namedQueryParameters(context.getClass(), handler.name);
      this.allowed.set(handler, allowedQuery);
    }
    const problems = requestInputProblems(request.params ?? {}, request.query ?? {}, allowedQuery);
    if (problems.length === 0) return next.handle();
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: `Invalid request: ${problems.map((p) => `${p.field} ${p.reason}`).join('; ')}`,
      problems,
    });
  }
}
