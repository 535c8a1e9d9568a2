import { TokenConfigError } from '../../auth/token-config.js';
import { ServerStartError } from '../../bootstrap/create-app.js';
import { ConfigValidationError } from '../../config/app-config.js';
import { StreamConflictError } from '../../common/commands/stream-conflict.error.js';
import { DatabaseUnavailableError } from '../../database/database-errors.js';
import { MigrationError } from '../../database/migrate.js';
import { ConcurrencyError, EventStoreUnavailableError } from '../../event-store/event-store.port.js';
import { UnknownWebhookError } from '../../webhooks/domain/webhook-decider.js';
import { UnknownDeliveryError, WebhookInputError, WebhooksOffError } from '../../webhooks/webhook-errors.js';
import { WebhooksFileError } from '../../webhooks/webhooks-file.js';

/** A failure the user can act on: the CLI prints its message alone (no stack) and exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Errors whose message says everything a CLI user needs. Add a class here (one line) when a command can
 * fail in a way that is the user's to fix; anything else is treated as a bug and printed with its stack.
 */
const KNOWN_ERRORS: ErrorClass[] = [
  CliError,
  ConfigValidationError,
  TokenConfigError,
  DatabaseUnavailableError,
  MigrationError,
  EventStoreUnavailableError,
  ConcurrencyError,
  StreamConflictError,
  ServerStartError,
  WebhookInputError,
  WebhooksOffError,
  WebhooksFileError,
  UnknownWebhookError,
  UnknownDeliveryError,
];

export function isKnownError(error: unknown): error is Error {
  return KNOWN_ERRORS.some((known) => error instanceof known);
}
