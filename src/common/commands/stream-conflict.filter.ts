import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { StreamConflictError } from './stream-conflict.error.js';

interface JsonResponse {
  status(code: number): JsonResponse;
  send(body: unknown): unknown;
}

/** The one place a write-path concurrency conflict becomes an HTTP answer (409), for every controller. */
@Catch(StreamConflictError)
export class StreamConflictFilter implements ExceptionFilter {
  catch(error: StreamConflictError, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<JsonResponse>()
      .status(HttpStatus.CONFLICT)
      .send({ statusCode: HttpStatus.CONFLICT, error: 'Conflict', message: error.message, streamId: error.streamId });
  }
}
