import { BadRequestException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MAX_JSON_BODY_BYTES } from '../../bootstrap/http-adapter.js';
import { parseStrictJson } from '../../bootstrap/strict-json.js';

/**
 * JSON bodies as Express read them: an empty body is `{}` (clients that always send the content type on a
 * body-less POST or DELETE keep working), a malformed one is Nest's usual 400 naming the parse error. Read
 * strictly (strict-json.ts): invalid UTF-8, a duplicate key, NUL or a lone surrogate is a 400 naming the field.
 */
export function parseJsonBody(body: Buffer): unknown {
  const parsed = parseStrictJson(body);
  if (parsed.ok) return parsed.value;
  const { field, reason } = parsed.problem;
  if (parsed.syntax) throw new BadRequestException(reason);
  throw new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: field === null ? `The body is refused: ${reason}` : `The body is refused: ${field} ${reason}`,
    problems: [parsed.problem],
  });
}

/** Nest hands a parser's throw to Fastify's `done`, so a malformed body needs no try/catch here. */
export function readJsonBodies(app: NestFastifyApplication): void {
  app.useBodyParser('application/json', { bodyLimit: MAX_JSON_BODY_BYTES }, (_request, body, done) => done(null, parseJsonBody(body)));
}
