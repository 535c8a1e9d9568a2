import { createHash } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** A weak ETag from the body's size and a hash of it (Express's form, with a URL-safe hash). */
export function weakEtagOf(body: string | Buffer): string {
  const hash = createHash('sha1').update(body).digest('base64url').slice(0, 27);
  return `W/"${Buffer.byteLength(body).toString(16)}-${hash}"`;
}

/** If-None-Match against an ETag, compared weakly (RFC 9110 13.1.2); `no-cache` in the request forces a full answer. */
export function isFresh(headers: Record<string, string | string[] | undefined>, etag: string): boolean {
  const ifNoneMatch = headers['if-none-match'];
  if (typeof ifNoneMatch !== 'string' || ifNoneMatch === '') return false;
  if (/(?:^|,)\s*no-cache\s*(?:,|$)/.test(String(headers['cache-control'] ?? ''))) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return ifNoneMatch.split(',').some((tag) => opaque(tag) === wanted);
}

/**
 * Every 200 answer to a GET or HEAD gets an ETag (a weak one, unless its handler set its own) and a conditional
 * request that still matches gets a 304 without the body, as on Express: the dashboard and the read APIs
 * revalidate instead of downloading again.
 *
 * Not @fastify/etag (6.2): it tags every answer (errors and POSTs too), compares If-None-Match as one exact
 * string (no lists, no `*`) and ignores Cache-Control: no-cache, all of which the http-layer spec checks.
 */
export function answerConditionalGets(app: NestFastifyApplication): void {
  app.getHttpAdapter().getInstance().addHook('onSend', (request, reply, payload, done) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || reply.statusCode !== 200) return done(null, payload);
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return done(null, payload);
    let etag = reply.getHeader('etag');
    if (typeof etag !== 'string') {
      etag = weakEtagOf(payload);
      reply.header('ETag', etag);
    }
    if (!isFresh(request.headers, etag)) return done(null, payload);
    reply.code(304);
    reply.removeHeader('content-type');
    done(null, ''); // not null: Fastify's HEAD route reads what it is given
  });
}
