/**
 * `external-changes`: the read model behind `GET /external-changes`. One row per observed change outside the
 * lessons (a provider's model update, a harness release, an infra incident), with when it happened in the
 * world (`metadata.occurredAt`) and when it was recorded.
 */
import type { ExternalChangeObservedData } from '../../contracts/external.js';
import type { RecordedEvent } from '../../contracts/envelope.js';
import { defineChangesProjection, perEvent, upsert, type ReadModelChange } from '../machinery/projection.js';

export const EXTERNAL_CHANGES_TABLE = 'external_changes';
type Table = typeof EXTERNAL_CHANGES_TABLE;

export const externalChanges = defineChangesProjection<Record<string, never>, Table>({
  name: 'external-changes',
  version: 1,
  description: 'Changes outside the lessons that can explain shifts in eval results',
  oneSegmentBecause: 'one row per recorded external change: too few events for a second lease to pay',
  eventTypes: ['ExternalChangeObserved'],
  defaultRules: {},
  tables: {
    [EXTERNAL_CHANGES_TABLE]: {
      key: { change_id: 'text' },
      columns: {
        kind: 'text',
        subject: 'text',
        description: 'text',
        occurred_at: 'timestamptz',
        recorded_at: 'timestamptz',
        source: 'text',
        actor: 'text',
        event_id: 'text',
        global_position: 'int8',
      },
      indexes: [['occurred_at', 'change_id'], ['subject', 'occurred_at'], ['kind', 'occurred_at']],
    },
  },
  project: perEvent((event: RecordedEvent): ReadModelChange<Table>[] => {
    if (event.type !== 'ExternalChangeObserved') return [];
    const change = event.data as ExternalChangeObservedData;
    return [
      upsert(EXTERNAL_CHANGES_TABLE, { change_id: change.changeId }, {
        kind: change.kind,
        subject: change.subject,
        description: change.description,
        occurred_at: event.metadata.occurredAt,
        recorded_at: event.recordedAt,
        source: event.metadata.source,
        actor: event.metadata.actor ?? null,
        event_id: event.eventId,
        global_position: event.globalPosition,
      }),
    ];
  }),
});
