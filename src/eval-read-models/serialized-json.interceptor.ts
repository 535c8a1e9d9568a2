import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { map, type Observable } from 'rxjs';

interface Serialized {
  body: string;
  etag: string;
}

/**
 * Writes an answer object's JSON (and its ETag) once and reuses both while the handler keeps returning the same
 * object (AnswerMemo): under load a cached read costs the socket write, not a JSON.stringify and a hash of
 * tens of kilobytes per request. Conditional requests still get their 304 from Express.
 */
@Injectable()
export class SerializedJsonInterceptor implements NestInterceptor {
  private readonly serialized = new WeakMap<object, Serialized>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = context.switchToHttp().getResponse<ServerResponse>();
    return next.handle().pipe(
      map((value: unknown) => {
        if (value === null || typeof value !== 'object') return value;
        let found = this.serialized.get(value);
        if (!found) {
          const body = JSON.stringify(value);
          const hash = createHash('sha1').update(body).digest('base64url').slice(0, 27);
          found = { body, etag: `W/"${Buffer.byteLength(body).toString(16)}-${hash}"` };
          this.serialized.set(value, found);
        }
        response.setHeader('Content-Type', 'application/json; charset=utf-8');
        response.setHeader('ETag', found.etag);
        return found.body;
      }),
    );
  }
}
