import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { InvalidRuleSetIdError } from '../projection-engine/instance-id.js';
import { ProjectionNotReadyError } from './read-model/eval-read-models.read-model.js';

interface JsonResponse {
  status(code: number): JsonResponse;
  json(body: unknown): unknown;
}

/** 503 while a read model has no instance yet (or the rule set has none); 400 for a malformed rule set id. */
@Catch(ProjectionNotReadyError, InvalidRuleSetIdError)
export class EvalReadModelsErrorsFilter implements ExceptionFilter {
  catch(error: Error, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<JsonResponse>();
    const status = error instanceof ProjectionNotReadyError ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_REQUEST;
    response.status(status).json({ statusCode: status, error: error.name, message: error.message });
  }
}
