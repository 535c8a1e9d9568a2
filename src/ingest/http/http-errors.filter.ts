import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ExternalChangeConflictError } from '../../external-changes/domain/external-change-decider.js';
import { ExternalChangeRejectedError } from '../../external-changes/dto/external-change-body.schema.js';
import { RunRejectedError } from './intake/run-problem.js';
import { InvalidQueryError } from './queries/list-query-params.js';
import { RunConflictError } from './record/record-eval-run.js';

interface JsonResponse {
  status(code: number): JsonResponse;
  send(body: unknown): unknown;
}

/** Turns the ingest/query domain errors into HTTP answers; anything else goes to Nest's default handling. */
@Catch(RunRejectedError, RunConflictError, InvalidQueryError, ExternalChangeRejectedError, ExternalChangeConflictError)
export class IngestHttpErrorsFilter implements ExceptionFilter {
  catch(error: Error, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<JsonResponse>();
    if (error instanceof RunConflictError) {
      response.status(HttpStatus.CONFLICT).send({
        statusCode: HttpStatus.CONFLICT,
        error: 'Conflict',
        message: error.message,
        runId: error.runId,
        differences: error.differences,
      });
      return;
    }
    if (error instanceof ExternalChangeConflictError) {
      response.status(HttpStatus.CONFLICT).send({
        statusCode: HttpStatus.CONFLICT,
        error: 'Conflict',
        message: error.message,
        changeId: error.changeId,
        differences: error.differences,
      });
      return;
    }
    const problems = (error as RunRejectedError | InvalidQueryError | ExternalChangeRejectedError).problems;
    response.status(HttpStatus.BAD_REQUEST).send({
      statusCode: HttpStatus.BAD_REQUEST,
      error: 'Bad Request',
      message: error.message,
      problems,
    });
  }
}
