/** Changes outside the lessons that can explain a shift in eval results (a provider's model update, a harness bump). */
import { z } from 'zod';
import { defineEvent } from './event-definition.js';
import { freeText, identifier, nameString } from './limits.js';

export const EXTERNAL_CHANGE_KINDS = ['model-api', 'harness', 'infra', 'other'] as const;
export const externalChangeKindSchema = z.enum(EXTERNAL_CHANGE_KINDS);
export type ExternalChangeKind = z.infer<typeof externalChangeKindSchema>;

export const ExternalChangeObservedSchema = z.strictObject({
  changeId: identifier,
  kind: externalChangeKindSchema,
  /** What changed, e.g. a model name or the harness repository. */
  subject: nameString,
  description: freeText,
});
export type ExternalChangeObservedData = z.infer<typeof ExternalChangeObservedSchema>;
export const EXTERNAL_CHANGE_OBSERVED_VERSION = 1;
export const ExternalChangeObserved = defineEvent(
  'ExternalChangeObserved',
  EXTERNAL_CHANGE_OBSERVED_VERSION,
  ExternalChangeObservedSchema,
);

export const externalEventDefinitions = [ExternalChangeObserved] as const;
