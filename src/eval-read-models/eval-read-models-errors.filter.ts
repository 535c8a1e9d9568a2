import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { InvalidRuleSetIdError } from '../projection-engine/instances/instance-id.js';
import { UnknownRuleSetError } from '../projection-engine/instances/rule-sets.js';
import { CiGateInputError, UnknownEvalRunError } from './queries/ci-gate-params.js';
import { ProjectionNotReadyError } from './read-model/eval-read-state.js';

interface JsonResponse {
  status(code: number): JsonResponse;
  send(body: unknown): unknown;
}

/**
 * 503 while a read model has no instance yet (or the rule set's own instance is not built); 404 for a rule set
 * nobody defined or an eval run nobody recorded; 400 for a malformed rule set id or a CI gate request the data
 * cannot answer as asked.
 */
@Catch(ProjectionNotReadyError, UnknownRuleSetError, InvalidRuleSetIdError, UnknownEvalRunError, CiGateInputError)
export class EvalReadModelsErrorsFilter implements ExceptionFilter {
  catch(error: Error, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<JsonResponse>();
    const status =
      error instanceof ProjectionNotReadyError ? HttpStatus.SERVICE_UNAVAILABLE
      : error instanceof UnknownRuleSetError || error instanceof UnknownEvalRunError ? HttpStatus.NOT_FOUND
      : HttpStatus.BAD_REQUEST;
    response.status(status).send({ statusCode: status, error: error.name, message: error.message });
  }
}
