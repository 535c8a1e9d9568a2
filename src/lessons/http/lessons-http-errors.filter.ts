import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { InvalidQueryError } from '../../ingest/http/queries/list-query-params.js';
import { LessonAlreadyExistsError, LessonNotFoundError, LessonRejectedError, LessonRevisionConflictError } from '../domain/lesson-errors.js';
import { etagOf, LessonRequestInvalidError, RevisionRequiredError } from './lesson-request-errors.js';

interface JsonResponse {
  status(code: number): JsonResponse;
  header(name: string, value: string): unknown;
  send(body: unknown): unknown;
}

type LessonHttpError =
  | LessonRejectedError
  | LessonNotFoundError
  | LessonAlreadyExistsError
  | LessonRevisionConflictError
  | LessonRequestInvalidError
  | RevisionRequiredError
  | InvalidQueryError;

/** The lesson errors as HTTP answers: 400 shape, 404, 409 (with the current revision as body and ETag), 422 rules, 428. */
@Catch(LessonRejectedError, LessonNotFoundError, LessonAlreadyExistsError, LessonRevisionConflictError, LessonRequestInvalidError, RevisionRequiredError, InvalidQueryError)
export class LessonsHttpErrorsFilter implements ExceptionFilter {
  catch(error: LessonHttpError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<JsonResponse>();
    const send = (status: number, label: string, extra: Record<string, unknown> = {}) =>
      response.status(status).send({ statusCode: status, error: label, message: error.message, ...extra });
    if (error instanceof LessonRevisionConflictError) {
      response.header('ETag', etagOf(error.currentRevision));
      send(HttpStatus.CONFLICT, 'Conflict', { lessonId: error.lessonId, expectedRevision: error.expectedRevision, currentRevision: error.currentRevision });
    } else if (error instanceof LessonAlreadyExistsError) {
      send(HttpStatus.CONFLICT, 'Conflict', { lessonId: error.lessonId });
    } else if (error instanceof LessonNotFoundError) {
      send(HttpStatus.NOT_FOUND, 'Not Found', { lessonId: error.lessonId });
    } else if (error instanceof LessonRejectedError) {
      send(HttpStatus.UNPROCESSABLE_ENTITY, 'Unprocessable Entity', { problems: error.problems });
    } else if (error instanceof RevisionRequiredError) {
      send(HttpStatus.PRECONDITION_REQUIRED, 'Precondition Required', { lessonId: error.lessonId });
    } else {
      send(HttpStatus.BAD_REQUEST, 'Bad Request', { problems: error.problems });
    }
  }
}
