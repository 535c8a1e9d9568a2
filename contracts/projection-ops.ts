/**
 * Operators' decisions about projections, kept as events so they are part of the history: an event an
 * instance must pass over (it stopped there: the database refuses what the event produces), with the reason.
 */
import { z } from 'zod';
import { defineEvent } from './event-definition.js';
import { freeText, identifier, LIMITS, textString } from './limits.js';
import { decimalString, eventIdSchema } from './primitives.js';

export const ProjectionEventSkippedSchema = z.strictObject({
  /** The projection instance that passes over the event (other instances still apply it). */
  instanceId: identifier,
  /** The event passed over, its type and its position in the log. */
  eventId: eventIdSchema,
  eventType: identifier,
  position: z.strictObject({ commit: decimalString, prepare: decimalString }),
  /** Why, in the operator's words. */
  reason: freeText,
  /** The error the instance had stopped with at that event, when it had. */
  error: textString(LIMITS.text, false).optional(),
});
export type ProjectionEventSkippedData = z.infer<typeof ProjectionEventSkippedSchema>;

export const PROJECTION_EVENT_SKIPPED_VERSION = 1;
export const ProjectionEventSkipped = defineEvent('ProjectionEventSkipped', PROJECTION_EVENT_SKIPPED_VERSION, ProjectionEventSkippedSchema);

export const projectionOpsEventDefinitions = [ProjectionEventSkipped] as const;
