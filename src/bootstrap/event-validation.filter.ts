import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { EventValidationError } from '../../contracts/catalogue.js';

interface JsonResponse {
  status(code: number): JsonResponse;
  send(body: unknown): unknown;
}

/**
 * The last line of the input limits: an event the store refuses (contracts/limits.ts, or any rule of its schema)
 * while answering a request was built from what the request sent, so it is a 400 naming the field, and nothing
 * was written (the store validates before it writes), never a 500. Routes check their own bodies first; this
 * catches what a route's schema does not know (a rule that spans fields, a field derived from the input).
 */
@Catch(EventValidationError)
export class EventValidationFilter implements ExceptionFilter {
  catch(error: EventValidationError, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<JsonResponse>()
      .status(HttpStatus.BAD_REQUEST)
      .send({
        statusCode: HttpStatus.BAD_REQUEST,
        error: 'Bad Request',
        message: error.message,
        problems: error.issues.map((issue) => ({ field: issue.path.replace(/^data\./, ''), reason: `${error.eventType}: ${issue.message}` })),
      });
  }
}
