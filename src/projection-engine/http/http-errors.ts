import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';
import { CannotDropCurrentError, UnknownInstanceError, UnknownProjectionError } from '../errors.js';
import { InvalidRuleSetIdError } from '../instances/instance-id.js';
import { UnknownRuleSetError } from '../instances/rule-sets.js';
import { InvalidSkipError, NotStoppedAtEventError } from '../instances/skips.js';

/** The engine's known errors as HTTP answers; anything else stays a 500. */
export function toHttpError(error: unknown): unknown {
  if (error instanceof UnknownProjectionError || error instanceof UnknownInstanceError) return new NotFoundException(error.message);
  if (error instanceof CannotDropCurrentError || error instanceof NotStoppedAtEventError) return new ConflictException(error.message);
  if (error instanceof InvalidSkipError) return new BadRequestException(error.message);
  if (error instanceof InvalidRuleSetIdError || error instanceof UnknownRuleSetError) return new BadRequestException(error.message);
  if (error instanceof Error && error.name === 'ZodError') return new BadRequestException(`Rule set does not fit the projection's rules: ${error.message}`);
  return error;
}

export async function mapErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toHttpError(error);
  }
}
