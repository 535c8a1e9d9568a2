import type { EventMetadata } from '../../../contracts/envelope.js';

/** Metadata of an event decided through the API: now, `api`, and the token's name when there is one. */
export function apiMetadata(actor: string | undefined, now: Date = new Date()): EventMetadata {
  return { occurredAt: now.toISOString(), source: 'api', ...(actor ? { actor } : {}) };
}
