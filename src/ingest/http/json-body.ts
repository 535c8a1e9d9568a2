import { BadRequestException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MAX_JSON_BODY_BYTES } from '../../bootstrap/http-adapter.js';

/**
 * JSON bodies as Express read them: an empty body is `{}` (clients that always send the content type on a
 * body-less POST or DELETE keep working), a malformed one is Nest's usual 400 naming the parse error.
 */
export function parseJsonBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BadRequestException(`The body is not valid JSON: ${(error as Error).message}`);
  }
}

/** Nest hands a parser's throw to Fastify's `done`, so a malformed body needs no try/catch here. */
export function readJsonBodies(app: NestFastifyApplication): void {
  app.useBodyParser('application/json', { bodyLimit: MAX_JSON_BODY_BYTES }, (_request, body, done) => done(null, parseJsonBody(body)));
}
