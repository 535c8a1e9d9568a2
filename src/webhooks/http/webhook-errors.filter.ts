import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { InvalidQueryError } from '../../ingest/http/queries/list-query-params.js';
import { UnknownWebhookError } from '../domain/webhook-decider.js';
import { UnknownDeliveryError, WebhookInputError, WebhooksOffError } from '../webhook-errors.js';

interface JsonResponse {
  status(code: number): JsonResponse;
  send(body: unknown): unknown;
}

/** 400 with the problems by field, 404 for an unknown subscription or delivery, 409 while webhooks are off. */
@Catch(WebhookInputError, InvalidQueryError, UnknownWebhookError, UnknownDeliveryError, WebhooksOffError)
export class WebhookErrorsFilter implements ExceptionFilter {
  catch(error: Error, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<JsonResponse>();
    if (error instanceof UnknownWebhookError || error instanceof UnknownDeliveryError) {
      response.status(HttpStatus.NOT_FOUND).send({ statusCode: HttpStatus.NOT_FOUND, error: 'Not Found', message: error.message });
      return;
    }
    if (error instanceof WebhooksOffError) {
      response.status(HttpStatus.CONFLICT).send({ statusCode: HttpStatus.CONFLICT, error: 'Conflict', message: error.message });
      return;
    }
    const problems = (error as WebhookInputError | InvalidQueryError).problems;
    response.status(HttpStatus.BAD_REQUEST).send({ statusCode: HttpStatus.BAD_REQUEST, error: 'Bad Request', message: error.message, problems });
  }
}
