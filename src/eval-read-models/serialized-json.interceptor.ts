import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import { weakEtagOf } from '../bootstrap/conditional-get.js';

interface Serialized {
  body: Buffer;
  etag: string;
}

interface HeaderReply {
  header(name: string, value: string): unknown;
}

/**
 * Writes an answer object's JSON (and its ETag) once and reuses both while the handler keeps returning the same
 * object (AnswerMemo): under load a cached read costs the socket write, not a JSON.stringify and a hash of
 * tens of kilobytes per request. Kept as UTF-8 bytes, so the whole gptme report (~0.85 MB) is not encoded
 * again for every answer. Conditional requests still get their 304 (conditional-get.ts).
 */
@Injectable()
export class SerializedJsonInterceptor implements NestInterceptor {
  private readonly serialized = new WeakMap<object, Serialized>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const reply = context.switchToHttp().getResponse<HeaderReply>();
    return next.handle().pipe(
      map((value: unknown) => {
        if (value === null || typeof value !== 'object') return value;
        let found = this.serialized.get(value);
        if (!found) {
          const body = Buffer.from(JSON.stringify(value));
          found = { body, etag: weakEtagOf(body) };
          this.serialized.set(value, found);
        }
        reply.header('Content-Type', 'application/json; charset=utf-8');
        reply.header('ETag', found.etag);
        return found.body;
      }),
    );
  }
}
